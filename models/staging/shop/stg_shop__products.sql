with

source as (
    select * from {{ source('shop', 'products') }}
),

parsed as (
    select
        source._raw_row_number,
        {{ clean_text('source.product_id') }} as product_id,
        lower({{ clean_text('source.category') }}) as category,
        {{ clean_text('source.title') }} as title,
        {{ to_decimal('source.list_price') }} as list_price,
        upper({{ clean_text('source.currency') }}) as currency_code,
        {{ clean_text('source.product_id') }} is null or {{ clean_text('source.category') }} is null
            as is_missing_required,
        {{ unparseable('source.list_price', to_decimal('source.list_price')) }} as is_unparseable_number,
        struct_pack(
            product_id := source.product_id,
            category := source.category,
            title := source.title,
            list_price := source.list_price,
            currency := source.currency
        ) as raw_values
    from source
),

checked as (
    select
        *,
        case
            when is_missing_required then 'missing_required'
            when is_unparseable_number then 'unparseable_number'
            when currency_code is not null and not regexp_full_match(currency_code, '[A-Z]{3}') then 'invalid_code'
            when list_price < 0 then 'out_of_range'
        end as row_defect
    from parsed
),

deduplicated as (
    select
        *,
        {{ quarantine_reason('row_defect', ['product_id']) }} as quarantine_reason
    from checked
),

final as (
    select
        product_id,
        category,
        title,
        list_price,
        currency_code,
        quarantine_reason,
        case when quarantine_reason is not null then to_json(raw_values)::varchar end as raw_record,
        _raw_row_number
    from deduplicated
)

select * from final
