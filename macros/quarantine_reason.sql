{# purpose: the row's own defect, else 'duplicate_key' for every valid copy of a key after the first one in file order (an invalid copy never displaces a valid one) #}
{% macro quarantine_reason(defect_column, key_columns) -%}
    coalesce(
        {{ defect_column }},
        case
            when row_number() over (
                partition by {{ key_columns | join(', ') }}, {{ defect_column }} is null
                order by _raw_row_number
            ) > 1 then 'duplicate_key'
        end
    )
{%- endmacro %}
