-- One row per product: the shop's accepted products, plus products only order lines reference.
-- A view over int_products_catalogued (where the logic lives, so intermediate models can build on it without
-- reading a mart); it exposes the columns documented in _core__models.yml.
with

products as (
    select * from {{ ref('int_products_catalogued') }}
),

final as (
    select
        {{ contract_column_list('products') }}
    from products
)

select * from final
