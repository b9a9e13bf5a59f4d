{# purpose: a row's own quarantine reason after de-duplication: its own defect, else 'duplicate_key' when a valid copy of its key comes earlier in the file (first_valid_copies joined as `first_valid_copies`) #}
{% macro duplicate_key_reason(row_relation) -%}
    coalesce(
        {{ row_relation }}.row_defect,
        case when first_valid_copies.first_valid_position < {{ row_relation }}._raw_row_number then 'duplicate_key' end
    )
{%- endmacro %}
