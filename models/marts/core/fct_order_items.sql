-- One row per accepted order line, with its product category and USD value.
-- A view over int_order_items_enriched (where the logic lives, so intermediate models can build on it without
-- reading a mart); it exposes the columns documented in _core__models.yml.
with

order_items as (
    select * from {{ ref('int_order_items_enriched') }}
),

final as (
    select
        {{ contract_column_list('order_items') }}
    from order_items
)

select * from final
