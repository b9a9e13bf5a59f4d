{# purpose: rows where a mart differs from an expected-figures CSV (all rows both ways, numbers within a tolerance, null only matches null) #}
{% macro repurchase_expected_figure_mismatches(relation, csv_path, key_columns, value_columns, tolerance=0.000001) -%}
    {%- set quoted_path = "'" ~ csv_path | replace("'", "''") ~ "'" -%}
    {%- set key_expression -%}
        concat_ws('|', {% for column in key_columns %}cast({{ column }} as varchar){{ ', ' if not loop.last }}{% endfor %})
    {%- endset -%}
    select
        '{{ relation.identifier }}' as mart,
        coalesce(expected.row_key, actual.row_key) as row_key,
        coalesce(expected.column_name, actual.column_name) as column_name,
        expected.value as expected_value,
        actual.value as actual_value
    from (
        {%- for column in value_columns %}
            select
                {{ key_expression }} as row_key,
                '{{ column }}' as column_name,
                nullif(trim(cast({{ column }} as varchar)), '') as value
            from read_csv({{ quoted_path }}, header = true, all_varchar = true)
            {{- ' union all' if not loop.last }}
        {%- endfor %}
    ) as expected
    full outer join (
        {%- for column in value_columns %}
            select
                {{ key_expression }} as row_key,
                '{{ column }}' as column_name,
                cast({{ column }} as varchar) as value
            from {{ relation }}
            {{- ' union all' if not loop.last }}
        {%- endfor %}
    ) as actual
        on expected.row_key = actual.row_key and expected.column_name = actual.column_name
    where
        expected.row_key is null
        or actual.row_key is null
        or (expected.value is null) != (actual.value is null)
        or (
            expected.value is not null
            and case
                when try_cast(expected.value as double) is not null and try_cast(actual.value as double) is not null
                    then abs(try_cast(expected.value as double) - try_cast(actual.value as double)) > {{ tolerance }}
                else lower(expected.value) != lower(actual.value)
            end
        )
{%- endmacro %}
