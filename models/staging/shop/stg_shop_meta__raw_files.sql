with

source as (
    select * from {{ source('shop_meta', 'raw_files') }}
),

final as (
    select
        table_name,
        file_path,
        file_format,
        is_required,
        is_present
    from source
)

select * from final
