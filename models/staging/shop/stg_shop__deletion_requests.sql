{%- set source_relation = source('shop', 'deletion_requests') -%}
{%- set types = raw_column_types(source_relation) -%}
-- One row per raw right-to-erasure request. A view: the account ids of erased accounts are read
-- by the validation layer to erase their rows and are never written to the warehouse file.
with

source as (
    select * from {{ source_relation }}
),

parsed as (
    select
        _raw_row_number,
        {{ raw_value('customer_id', 'text', types) }} as customer_id,
        {{ raw_value('requested_at', 'timestamp', types) }} as requested_at,
        {{ raw_missing_required('deletion_requests', types) }} as is_missing_required,
        {{ raw_unparseable('requested_at', 'timestamp', types) }} as is_unparseable_timestamp,
        {{ raw_columns_kept('deletion_requests') }}
    from source
),

flagged as (
    select
        *,
        case
            when is_missing_required then 'missing_required'
            when is_unparseable_timestamp then 'unparseable_timestamp'
        end as row_defect
    from parsed
),

final as (
    select
        _raw_row_number,
        customer_id,
        requested_at,
        row_defect,
        case
            when row_defect is not null
                then {{ json_object_text([('requested_at', 'cast(_raw_requested_at as ' ~ text_type() ~ ')')]) }}
        end as raw_record
    from flagged
)

select * from final
