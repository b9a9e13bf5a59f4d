-- One row per accepted order: the person, native and USD amounts, the applied rate, local date, purchase-day sequence.
-- A view over int_orders_enriched (where the logic lives, so intermediate models can build on it without
-- reading a mart); it exposes the columns documented in _core__models.yml.
with

orders as (
    select * from {{ ref('int_orders_enriched') }}
),

final as (
    select
        {{ contract_column_list('orders') }}
    from orders
)

select * from final
