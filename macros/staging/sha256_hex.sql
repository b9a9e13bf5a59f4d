{# purpose: SHA-256 hex digest of a normalised personal value (the format ad platforms accept for customer matching); null stays null #}
{% macro sha256_hex(expression) -%}
    case when ({{ expression }}) is not null then {{ sha256_digest(expression) }} end
{%- endmacro %}
