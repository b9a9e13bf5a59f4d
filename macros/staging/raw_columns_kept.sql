{# purpose: every contract column of a raw table passed through unchanged as _raw_<column>, so staging can build the raw record of a rejected row (raw_record_values) after parsing #}
{% macro raw_columns_kept(table_name) -%}
    {%- for column_name in contract_table(table_name).columns -%}
        {{ adapter.quote(column_name) }} as _raw_{{ column_name }}{{ ',\n        ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
