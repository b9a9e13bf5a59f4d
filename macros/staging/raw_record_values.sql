{# purpose: the raw row as JSON text, one field per contract column read from the _raw_<column> pass-through columns (raw_columns_kept), personal values replaced by their SHA-256 (<column>_sha256); staging evaluates it only for rows it rejects #}
{% macro raw_record_values(table_name, types) -%}
    {%- if not execute -%}{{ return('null') }}{%- endif -%}
    {%- set fields = [] -%}
    {%- for column_name, column in contract_table(table_name).columns.items() -%}
        {%- set text = raw_value_as_text('_raw_' ~ column_name, types.get(column_name | lower, 'VARCHAR')) -%}
        {%- if column.meta.get('pii', false) -%}
            {%- set normalise = column.meta.get('normalise', 'text') -%}
            {%- if normalise == 'email' %}{% set normalised = normalise_email(text) -%}
            {%- elif normalise == 'phone' %}{% set normalised = normalise_phone(text) -%}
            {%- else %}{% set normalised = clean_text(text) %}{% endif -%}
            {%- do fields.append((column_name ~ '_sha256', sha256_hex(normalised))) -%}
        {%- else -%}
            {%- do fields.append((column_name, text)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ json_object_text(fields) }}
{%- endmacro %}
