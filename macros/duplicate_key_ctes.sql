{#
    purpose: the CTEs that find duplicate keys cheaply: duplicated_keys (keys with more than one
    row that is not erased; usually none) and first_valid_copies (for those keys only, the
    position of the first copy without a defect of its own). A valid row after that position is
    a duplicate_key (see duplicate_key_reason); an invalid earlier copy never displaces a valid one.
#}
{% macro duplicate_key_ctes(source_cte, key_columns) -%}
duplicated_keys as (
    select {{ key_columns | join(', ') }}
    from {{ source_cte }}
    where not is_erased
    group by {{ key_columns | join(', ') }}
    having count(*) > 1
),

first_valid_copies as (
    select
        {%- for key in key_columns %}
        {{ source_cte }}.{{ key }},
        {%- endfor %}
        min({{ source_cte }}._raw_row_number) as first_valid_position
    from {{ source_cte }}
    inner join duplicated_keys
        on {% for key in key_columns %}{{ source_cte }}.{{ key }} = duplicated_keys.{{ key }}{{ ' and ' if not loop.last }}{% endfor %}
    where not {{ source_cte }}.is_erased and {{ source_cte }}.row_defect is null
    group by {% for key in key_columns %}{{ source_cte }}.{{ key }}{{ ', ' if not loop.last }}{% endfor %}
)
{%- endmacro %}
