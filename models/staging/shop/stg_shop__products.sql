{%- set source_relation = source('shop', 'products') -%}
{%- set types = raw_column_types(source_relation) -%}
-- One row per raw products row, typed, own defects flagged.
with

source as (
    select * from {{ source_relation }}
),

parsed as (
    select
        _raw_row_number,
        {{ raw_value('product_id', 'text', types) }} as product_id,
        lower({{ raw_value('category', 'text', types) }}) as category,
        {{ raw_value('title', 'text', types) }} as title,
        {{ raw_value('list_price', 'decimal', types) }} as list_price,
        upper({{ raw_value('currency', 'text', types) }}) as currency_code,
        {{ raw_missing_required('products', types) }} as is_missing_required,
        {{ raw_unparseable('list_price', 'decimal', types) }} as is_unparseable_number,
        {{ raw_columns_kept('products') }}
    from source
),

flagged as (
    select
        *,
        case
            when is_missing_required then 'missing_required'
            when is_unparseable_number then 'unparseable_number'
            when currency_code is not null and not {{ regexp_full_match('currency_code', '[A-Z]{3}') }}
                then 'invalid_code'
            when list_price < 0 then 'out_of_range'
        end as row_defect
    from parsed
),

final as (
    select
        _raw_row_number,
        product_id,
        category,
        title,
        list_price,
        currency_code,
        row_defect,
        case when row_defect is not null then {{ raw_record_values('products', types) }} end as raw_record
    from flagged
)

select * from final
