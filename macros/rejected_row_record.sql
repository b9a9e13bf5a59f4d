{# purpose: raw_record of a validation model's row: the raw values staging kept for a row with a defect of its own, else (rejected here: a duplicate or a broken reference) its typed values as JSON; null for accepted and erased rows #}
{% macro rejected_row_record(relation, columns) -%}
    case
        when {{ relation }}.quarantine_reason is null or {{ relation }}.quarantine_reason = 'erased' then null
        when {{ relation }}.raw_record is not null then {{ relation }}.raw_record
        {%- set fields = [] -%}
        {%- for column in columns -%}{%- do fields.append((column, relation ~ '.' ~ column)) -%}{%- endfor %}
        else {{ json_object_text(fields) }}
    end
{%- endmacro %}
