{# purpose: per raw contract table, the validation model holding all its rows with their final quarantine_reason, and the expression naming a row's key #}
{% macro validated_raw_tables() %}
    {%- set text = text_type() | trim %}
    {{ return([
        {'table': 'customers', 'model': 'int_customers_validated', 'key': 'customer_id'},
        {'table': 'customer_identifiers', 'model': 'int_customer_identifiers_validated', 'key': "customer_id || ':' || coalesce(identifier_type, '')"},
        {'table': 'products', 'model': 'int_products_validated', 'key': 'product_id'},
        {'table': 'orders', 'model': 'int_orders_validated', 'key': 'order_id'},
        {'table': 'order_items', 'model': 'int_order_items_validated', 'key': "order_id || '#' || coalesce(cast(line_number as " ~ text ~ "), '')"},
        {'table': 'refunds', 'model': 'int_refunds_validated', 'key': 'refund_id'},
        {'table': 'live_sessions', 'model': 'int_live_sessions_validated', 'key': 'session_id'},
        {'table': 'live_events', 'model': 'int_live_events_validated', 'key': 'event_id'},
        {'table': 'stream_quality', 'model': 'int_stream_quality_samples_validated', 'key': "session_id || '@' || coalesce(cast(sampled_at as " ~ text ~ "), '')"},
        {'table': 'fx_rates', 'model': 'int_fx_rates_validated', 'key': "currency_code || '@' || coalesce(cast(rate_date as " ~ text ~ "), '')"},
        {'table': 'deletion_requests', 'model': 'int_deletion_requests_validated', 'key': 'cast(null as ' ~ text ~ ')'},
        {'table': 'campaigns', 'model': 'int_campaigns_validated', 'key': 'campaign_id'},
        {'table': 'campaign_messages', 'model': 'int_campaign_messages_validated', 'key': 'message_id'},
        {'table': 'memberships', 'model': 'int_memberships_validated', 'key': "customer_id || '@' || coalesce(cast(started_at as " ~ text ~ "), '')"},
    ]) }}
{% endmacro %}
