{# purpose: the reason codes a quarantined row can carry, in the order they are checked (first match wins) #}
{% macro quarantine_reasons() -%}
    {{ return([
        'missing_required', 'unparseable_timestamp', 'unparseable_number', 'invalid_code', 'invalid_value',
        'out_of_range', 'end_before_start', 'future_timestamp', 'duplicate_key', 'unknown_currency',
        'unknown_customer', 'unknown_order', 'unknown_session', 'unknown_product', 'parent_quarantined',
        'outside_session_window', 'no_fx_rate', 'erased'
    ]) }}
{%- endmacro %}
