{#
    purpose: an as-of join clause: each left row with the one right row of the same keys whose
    ordering value is the nearest on the allowed side (left >= right: the latest right row at or
    before; left <= right: the earliest at or after). DuckDB: ASOF JOIN. Spark: a join on the
    interval each right row covers up to its neighbour (the right side then carries one more
    column, _asof_bound). Renders the whole clause, `on` included.
#}
{% macro asof_join(kind, relation, alias, keys, left_value, operator, right_value) -%}
    {{ return(adapter.dispatch('asof_join', 'livewh')(kind, relation, alias, keys, left_value, operator, right_value)) }}
{%- endmacro %}

{% macro default__asof_join(kind, relation, alias, keys, left_value, operator, right_value) -%}
    asof {{ kind }} join {{ relation }} as {{ alias }}
        on
            {%- for left_key, right_key in keys %}
            {{ left_key }} = {{ alias }}.{{ right_key }} and
            {%- endfor %}
            {{ left_value }} {{ operator }} {{ alias }}.{{ right_value }}
{%- endmacro %}

{% macro spark__asof_join(kind, relation, alias, keys, left_value, operator, right_value) -%}
    {#- each right row is the match of the left values between its own ordering value and its
        neighbour's (the next one for >= and >, the previous one for <= and <): an equi-join with
        a range condition, which Spark plans as a sort-merge join (a lateral subquery with
        limit 1 took minutes on the demo's orders) -#}
    {%- set bounds = {
        '>=': ('lead', '<'), '>': ('lead', '<='), '<=': ('lag', '>'), '<': ('lag', '>=')} -%}
    {%- if operator not in bounds -%}
        {{ exceptions.raise_compiler_error("asof_join: operator must be >=, >, <= or <, not " ~ operator) }}
    {%- endif -%}
    {%- set neighbour, bound_operator = bounds[operator] -%}
    {{ kind }} join (
        select
            asof_candidate.*,
            {{ neighbour }}(asof_candidate.{{ right_value }}) over (
                {%- if keys %}
                partition by {% for left_key, right_key in keys %}asof_candidate.{{ right_key }}{{ ', ' if not loop.last }}{% endfor %}
                {%- endif %}
                order by asof_candidate.{{ right_value }}
            ) as _asof_bound
        from {{ relation }} as asof_candidate
    ) as {{ alias }}
        on
            {%- for left_key, right_key in keys %}
            {{ left_key }} = {{ alias }}.{{ right_key }} and
            {%- endfor %}
            {{ left_value }} {{ operator }} {{ alias }}.{{ right_value }}
            and ({{ alias }}._asof_bound is null or {{ left_value }} {{ bound_operator }} {{ alias }}._asof_bound)
{%- endmacro %}
