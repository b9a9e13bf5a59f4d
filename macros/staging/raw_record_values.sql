{# purpose: a struct of the raw row as text, one field per contract column, personal values replaced by their SHA-256 (<column>_sha256); kept for rejected rows only (fct_quarantined_rows.raw_record) #}
{% macro raw_record_values(table_name, types) -%}
    {%- if not execute -%}{{ return('null') }}{%- endif -%}
    struct_pack(
    {%- for column_name, column in contract_table(table_name).columns.items() %}
        {%- set text = 'cast(' ~ adapter.quote(column_name) ~ ' as varchar)' %}
        {%- if column.meta.get('pii', false) %}
            {%- set normalise = column.meta.get('normalise', 'text') %}
            {%- if normalise == 'email' %}{% set normalised = normalise_email(text) %}
            {%- elif normalise == 'phone' %}{% set normalised = normalise_phone(text) %}
            {%- else %}{% set normalised = clean_text(text) %}{% endif %}
        {{ column_name }}_sha256 := {{ sha256_hex(normalised) }}{{ ',' if not loop.last }}
        {%- else %}
        {{ column_name }} := {{ text }}{{ ',' if not loop.last }}
        {%- endif %}
    {%- endfor %}
    )
{%- endmacro %}
