-- One row per person (accounts stitched): market, language, acquisition channel, first purchase
-- facts and lifetime figures.
-- A view over int_persons_profiled (where the logic lives, so intermediate models can build on it without
-- reading a mart); it exposes the columns documented in _core__models.yml.
with

persons as (
    select * from {{ ref('int_persons_profiled') }}
),

final as (
    select
        {{ contract_column_list('persons') }}
    from persons
)

select * from final
