{# purpose: the column types of a raw view, lower-case name -> upper-case DuckDB type (empty while parsing, so every column reads as text) #}
{% macro raw_column_types(relation) %}
    {%- set types = {} -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do types.update({column.name | lower: column.dtype | upper}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(types) }}
{% endmacro %}
