{#
    purpose: end a table model whose rows downstream incremental models follow: each row of
    `cte` gets _row_hash (of hash_columns) and _changed_at, the start of the run in which its
    content last changed (kept from the model's previous version when the hash is the same, this
    run's start otherwise; every row on a first build or --full-refresh). For each column in
    previous_columns the previous version's value is kept as _previous_<column> (so a consumer
    also revisits what a row pointed to before). Renders CTE text ending in `change_stamped`.
    In a unit test (no `this`) every row is new, as on a first build.
#}
{% macro change_stamped(cte, key_columns, hash_columns, previous_columns=[]) -%}
    {%- set previous = none -%}
    {#- stamps are carried over only where incremental models follow them: on Spark every model is
        a table rebuilt in full (incremental_materialization), and reading the old table while
        dbt-spark replaces it would fail -#}
    {%- if execute and not flags.FULL_REFRESH and this is not none and incremental_materialization() == 'incremental' -%}
        {%- set existing = load_relation(this) -%}
        {%- if existing is not none -%}
            {%- set existing_columns = adapter.get_columns_in_relation(existing) | map(attribute='name') | list -%}
            {%- if '_row_hash' in existing_columns and '_changed_at' in existing_columns -%}
                {%- set previous = existing -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif %}
hashed as (
    select
        *,
        {{ row_hash(hash_columns) }} as _row_hash
    from {{ cte }}
),

change_stamped as (
    {%- if previous is none %}
    select
        hashed.*,
        {%- for column in previous_columns %}
        hashed.{{ column }} as _previous_{{ column }},
        {%- endfor %}
        {{ run_stamp() }} as _changed_at
    from hashed
    {%- else %}
    select
        hashed.*,
        {%- for column in previous_columns %}
        coalesce(previous.{{ column }}, hashed.{{ column }}) as _previous_{{ column }},
        {%- endfor %}
        case
            when previous._row_hash = hashed._row_hash then previous._changed_at
            else {{ run_stamp() }}
        end as _changed_at
    from hashed
    left join {{ previous }} as previous
        on {% for key in key_columns %}hashed.{{ key }} = previous.{{ key }}{{ ' and ' if not loop.last }}{% endfor %}
    {%- endif %}
)
{%- endmacro %}
