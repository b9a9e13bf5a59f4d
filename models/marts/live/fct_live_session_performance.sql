-- One row per broadcast (every row of dim_live_sessions, also those nobody watched): audience,
-- engagement funnel, sales in the attribution window, acquisition and stream quality. Rates whose
-- denominator is zero are null. Orders, buyers and GMV follow int_live_attributed_orders:
-- qualifying orders attributed to the broadcast and placed from its start to its end (during) or
-- up to post_live_attribution_days after its end (post-live); attributed orders placed later are
-- reported as late_attributed_orders and not counted.
with

live_sessions as (
    select * from {{ ref('dim_live_sessions') }}
),

viewer_sessions as (
    select * from {{ ref('fct_viewer_sessions') }}
),

watch_intervals {{ not_materialized() }} (
    select * from {{ ref('int_live_watch_intervals') }}
),

attributed_orders as (
    select * from {{ ref('int_live_attributed_orders') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

samples as (
    select * from {{ ref('int_stream_quality_samples_validated') }}
    where quarantine_reason is null
),

gifts as (
    select * from {{ ref('int_live_events_resolved') }}
    where event_type = 'gift' and amount is not null and not _is_deleted
),

fx_rates as (
    select * from {{ ref('int_fx_rates_combined') }}
),

gifts_converted as (
    -- a gift in USD at the rate of its UTC date (or the latest earlier one no more than
    -- fx_max_staleness_days old), as orders are converted; without a usable rate it is counted
    -- but not valued
    select
        gifts.session_id,
        gifts.amount,
        case
            when gifts.currency_code = 'USD' then 1.0
            when
                {{ dbt.datediff('fx_rates.rate_date', 'cast(gifts.event_at as date)', 'day') }}
                <= {{ var('fx_max_staleness_days') }}
                then fx_rates.usd_per_unit
        end as usd_per_unit
    from gifts
    {{ asof_join('left', 'fx_rates', 'fx_rates', [('gifts.currency_code', 'currency_code')],
        'cast(gifts.event_at as date)', '>=', 'rate_date') }}
),

gift_value as (
    select
        session_id,
        sum({{ usd_amount('amount', 'usd_per_unit') }}) filter (where usd_per_unit is not null)
            as gift_value_usd,
        count(*) filter (where usd_per_unit is null) as gifts_without_usd_rate
    from gifts_converted
    group by session_id
),

audience as (
    select
        session_id,
        count(*) filter (where has_joined) as viewers,
        count(*) filter (where has_joined and is_logged_in) as logged_in_viewers,
        count(*) filter (where has_joined and is_first_session_for_viewer) as new_viewers,
        count(*) filter (where has_joined and not is_first_session_for_viewer) as returning_viewers,
        sum(watch_seconds) filter (where has_joined) as watch_seconds,
        sum(comments) as comments,  -- noqa: RF04
        count(*) filter (where has_joined and interactions > 0) as engaged_viewers,
        count(*) filter (where has_joined and has_clicked) as product_clickers,
        count(*) filter (where has_joined and has_added_to_cart) as add_to_cart_viewers
    from viewer_sessions
    group by session_id
),

presence_changes as (
    -- +1 when a viewer starts watching, -1 when they stop; at the same instant stops come first
    select
        session_id,
        interval_start_at as changed_at,
        1 as viewer_change
    from watch_intervals
    where interval_end_at > interval_start_at
    union all
    select
        session_id,
        interval_end_at as changed_at,
        -1 as viewer_change
    from watch_intervals
    where interval_end_at > interval_start_at
),

concurrency as (
    select
        session_id,
        sum(viewer_change) over (
            partition by session_id
            order by changed_at, viewer_change
            rows between unbounded preceding and current row
        ) as concurrent_viewers
    from presence_changes
),

peak_concurrency as (
    select
        session_id,
        max(concurrent_viewers) as peak_concurrent_viewers
    from concurrency
    group by session_id
),

sales as (
    select
        session_id,
        count(distinct customer_key) filter (where is_counted_in_gmv) as buyers,
        count(*) filter (where is_counted_in_gmv) as orders,
        count(*) filter (where is_counted_in_gmv and attribution_window = 'during') as orders_during,
        count(*) filter (where is_counted_in_gmv and attribution_window = 'post_live') as orders_post_live,
        sum(gross_usd) filter (where is_counted_in_gmv) as gmv_gross_usd,
        sum(net_usd) filter (where is_counted_in_gmv) as gmv_net_usd,
        sum(gross_usd) filter (where is_counted_in_gmv and attribution_window = 'during') as gmv_gross_usd_during,
        sum(net_usd) filter (where is_counted_in_gmv and attribution_window = 'during') as gmv_net_usd_during,
        sum(gross_usd) filter (
            where is_counted_in_gmv and attribution_window = 'post_live'
        ) as gmv_gross_usd_post_live,
        sum(net_usd) filter (where is_counted_in_gmv and attribution_window = 'post_live') as gmv_net_usd_post_live,
        count(*) filter (
            where attribution_window in ('during', 'post_live') and not is_qualifying
        ) as non_qualifying_orders,
        count(*) filter (
            where attribution_window in ('during', 'post_live') and refund_count > 0
        ) as refunded_orders,
        sum(refunded_usd) filter (where attribution_window in ('during', 'post_live')) as refunded_usd,
        count(*) filter (where attribution_window = 'late') as late_attributed_orders,
        sum(net_usd) filter (where attribution_window = 'late' and is_qualifying) as late_attributed_net_usd,
        count(*) filter (where attribution_window = 'before_start') as before_start_attributed_orders
    from attributed_orders
    group by session_id
),

acquisition as (
    select
        acquiring_session_id as session_id,
        count(*) as first_time_buyers_acquired
    from customers
    where acquiring_session_id is not null
    group by acquiring_session_id
),

quality {{ materialized_cte() }} (
    -- computed on its own first: inside the whole plan DuckDB's quantile aggregate ran about 25x
    -- slower (large profile: 21.6 s for the model, 9.5 s with this CTE materialised)
    select
        session_id,
        count(*) as quality_samples,
        {{ quantile_cont('latency_ms', 0.5) }} as median_latency_ms,
        {{ quantile_cont('latency_ms', 0.95) }} as p95_latency_ms,
        sum(freeze_ms) filter (where freeze_ms is not null and interval_ms is not null)
        / nullif(sum(interval_ms) filter (where freeze_ms is not null and interval_ms is not null), 0)
            as freeze_ratio
    from samples
    group by session_id
),

counts as (
    select
        live_sessions.*,
        coalesce(audience.viewers, 0) as viewers,
        coalesce(audience.logged_in_viewers, 0) as logged_in_viewers,
        coalesce(audience.new_viewers, 0) as new_viewers,
        coalesce(audience.returning_viewers, 0) as returning_viewers,
        coalesce(peak_concurrency.peak_concurrent_viewers, 0) as peak_concurrent_viewers,
        coalesce(audience.watch_seconds, 0) as watch_seconds,
        coalesce(audience.comments, 0) as comments,  -- noqa: RF04
        coalesce(audience.engaged_viewers, 0) as engaged_viewers,
        coalesce(audience.product_clickers, 0) as product_clickers,
        coalesce(audience.add_to_cart_viewers, 0) as add_to_cart_viewers,
        coalesce(sales.buyers, 0) as buyers,
        coalesce(sales.orders, 0) as orders,
        coalesce(sales.orders_during, 0) as orders_during,
        coalesce(sales.orders_post_live, 0) as orders_post_live,
        coalesce(sales.gmv_gross_usd, 0) as gmv_gross_usd,
        coalesce(sales.gmv_net_usd, 0) as gmv_net_usd,
        coalesce(sales.gmv_gross_usd_during, 0) as gmv_gross_usd_during,
        coalesce(sales.gmv_net_usd_during, 0) as gmv_net_usd_during,
        coalesce(sales.gmv_gross_usd_post_live, 0) as gmv_gross_usd_post_live,
        coalesce(sales.gmv_net_usd_post_live, 0) as gmv_net_usd_post_live,
        coalesce(sales.non_qualifying_orders, 0) as non_qualifying_orders,
        coalesce(sales.refunded_orders, 0) as refunded_orders,
        coalesce(sales.refunded_usd, 0) as refunded_usd,
        coalesce(sales.late_attributed_orders, 0) as late_attributed_orders,
        coalesce(sales.late_attributed_net_usd, 0) as late_attributed_net_usd,
        coalesce(sales.before_start_attributed_orders, 0) as before_start_attributed_orders,
        coalesce(acquisition.first_time_buyers_acquired, 0) as first_time_buyers_acquired,
        coalesce(gift_value.gift_value_usd, 0) as gift_value_usd,
        coalesce(gift_value.gifts_without_usd_rate, 0) as gifts_without_usd_rate,
        coalesce(quality.quality_samples, 0) as quality_samples,
        quality.median_latency_ms,
        quality.p95_latency_ms,
        quality.freeze_ratio
    from live_sessions
    left join audience
        on live_sessions.session_id = audience.session_id
    left join peak_concurrency
        on live_sessions.session_id = peak_concurrency.session_id
    left join sales
        on live_sessions.session_id = sales.session_id
    left join acquisition
        on live_sessions.session_id = acquisition.session_id
    left join quality
        on live_sessions.session_id = quality.session_id
    left join gift_value
        on live_sessions.session_id = gift_value.session_id
),

final as (
    select
        session_id,
        host_id,
        platform,
        market_country_code,
        market_region,
        market_time_zone,
        language_code,
        started_at,
        ended_at,
        started_at_local,
        start_date_local,
        cast(date_trunc('month', start_date_local) as date) as start_month_local,
        start_weekday_local,
        start_weekday_name_local,
        start_hour_local,
        duration_minutes,
        viewers,
        logged_in_viewers,
        new_viewers,
        returning_viewers,
        cast(peak_concurrent_viewers as bigint) as peak_concurrent_viewers,
        cast({{ decimal_ratio('watch_seconds', '60', 2) }} as double) as total_watch_minutes,
        cast({{ decimal_ratio('watch_seconds', '60 * viewers', 2) }} as double) as avg_watch_minutes,
        cast(comments as bigint) as comments,  -- noqa: RF04
        comments / nullif(duration_minutes, 0) as comments_per_minute,
        engaged_viewers,
        engaged_viewers / nullif(viewers, 0) as engagement_rate,
        product_clickers,
        product_clickers / nullif(viewers, 0) as product_click_through_rate,
        add_to_cart_viewers,
        add_to_cart_viewers / nullif(viewers, 0) as add_to_cart_rate,
        buyers,
        buyers / nullif(viewers, 0) as conversion_rate,
        buyers / nullif(product_clickers, 0) as click_to_order_rate,
        orders,
        orders_during,
        orders_post_live,
        cast(gmv_gross_usd as decimal(18, 4)) as gmv_gross_usd,
        cast(gmv_net_usd as decimal(18, 4)) as gmv_net_usd,
        cast(gmv_gross_usd_during as decimal(18, 4)) as gmv_gross_usd_during,
        cast(gmv_net_usd_during as decimal(18, 4)) as gmv_net_usd_during,
        cast(gmv_gross_usd_post_live as decimal(18, 4)) as gmv_gross_usd_post_live,
        cast(gmv_net_usd_post_live as decimal(18, 4)) as gmv_net_usd_post_live,
        {{ decimal_ratio('gmv_net_usd', 'orders') }} as aov_net_usd,
        {{ decimal_ratio('gmv_net_usd * 1000', 'viewers') }} as gpm_net_usd,
        first_time_buyers_acquired,
        cast(gift_value_usd as decimal(18, 4)) as gift_value_usd,
        gifts_without_usd_rate,
        non_qualifying_orders,
        refunded_orders,
        cast(refunded_usd as decimal(18, 4)) as refunded_usd,
        late_attributed_orders,
        cast(late_attributed_net_usd as decimal(18, 4)) as late_attributed_net_usd,
        before_start_attributed_orders,
        quality_samples,
        median_latency_ms,
        p95_latency_ms,
        freeze_ratio
    from counts
)

select * from final
