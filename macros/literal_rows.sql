{# purpose: a relation of literal rows, one per value, in one named column: (values (30), (90)) as alias (column); portable where DuckDB's unnest([...]) is not #}
{% macro literal_rows(values, alias, column) -%}
    (values {% for value in values %}({{ value }}){{ ', ' if not loop.last }}{% endfor %}) as {{ alias }} ({{ column }})
{%- endmacro %}
