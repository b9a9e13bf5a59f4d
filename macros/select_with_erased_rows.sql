{# purpose: end a validation model: its rows plus one row per raw row of an erased account, carrying only the row number and quarantine_reason 'erased' (so raw rows = validated rows still holds) #}
{% macro select_with_erased_rows(kept_cte='final', erasure_cte='erasure_checked') -%}
erased as (
    -- rows of erased accounts: kept as a count (with their row number) and nothing else
    select
        _raw_row_number,
        'erased' as quarantine_reason
    from {{ erasure_cte }}
    where is_erased
),

with_erased as (
    select * from {{ kept_cte }}
    union all by name
    select * from erased
)

select * from with_erased
{%- endmacro %}
