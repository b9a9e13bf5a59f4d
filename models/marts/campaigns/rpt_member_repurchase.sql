-- Repurchase of members against non-members, for each repurchase window N (var repurchase_windows),
-- three ways (one row each; members = people with a membership spell by the observation end):
--   raw: the N-day repurchase rate after the first purchase day (fct_customer_repurchase), members
--     against non-members. Inflated: most members join after buying again, so joining implies repeat.
--   stratified: the same, non-members directly standardised to the members' mix of first-order
--     month x market x acquisition channel (strata without both groups are left out; their share of
--     members is members_compared_share). Removes cohort, market and channel differences, not the
--     members' heavier buying before they joined.
--   after_joining: repurchase in the N days after the end of the month a member joined, against
--     buyers not (yet) members at that same month end with the same purchase history then (purchase
--     days so far: 1, 2, 3, 4, 5+; days since the last purchase day: 0-30, 31-90, 91-180, 181+),
--     directly standardised to the members. A non-member counts once per month end (a landmark
--     comparison). This is the figure to read: it compares like with like at the same moment and
--     counts only what happened after joining. It is still not an experiment (what made people join
--     may also make them buy), so read it as an upper bound of what membership brings.
-- Intervals (95%): Newcombe's hybrid score interval for the raw difference; for the standardised
-- differences a Wald interval from the strata's binomial variances weighted by the members' mix.
with

repurchase as (
    select * from {{ ref('fct_customer_repurchase') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
    where is_qualifying
),

observation_end as (
    select max(as_of_date) as as_of_date from {{ ref('int_observation_end') }}
),

windows as (
    select windows.window_days
    from {{ literal_rows(repurchase_windows(), 'windows', 'window_days') }}
),

buyers as (
    -- one row per buyer and window: eligible (window closed) and repurchased within it
    select
        repurchase.customer_key,
        customers.first_member_date is not null as is_member,
        repurchase.cohort_month,
        repurchase.market_country_code,
        repurchase.acquisition_channel,
        windows.window_days,
        case windows.window_days
            {%- for window in repurchase_windows() %}
                when {{ window }} then repurchase.is_eligible_{{ window }}d
            {%- endfor %}
        end as is_eligible,
        case windows.window_days
            {%- for window in repurchase_windows() %}
                when {{ window }} then repurchase.has_repurchased_{{ window }}d
            {%- endfor %}
        end as has_repurchased
    from repurchase
    inner join customers
        on repurchase.customer_key = customers.customer_key
    cross join windows
),

raw_comparison as (
    select
        'raw' as comparison,
        window_days,
        count(*) filter (where is_member and is_eligible) as members,
        count(*) filter (where not is_member and is_eligible) as non_members,
        count(*) filter (where is_member and is_eligible and has_repurchased) as members_repurchased,
        count(*) filter (where not is_member and is_eligible and has_repurchased) as non_members_repurchased
    from buyers
    group by window_days
),

raw_rated as (
    select
        comparison,
        window_days,
        members,
        non_members,
        members_repurchased,
        non_members_repurchased,
        members_repurchased / nullif(members, 0)::double as member_repurchase_rate,
        non_members_repurchased / nullif(non_members, 0)::double as non_member_repurchase_rate,
        {{ uplift_newcombe_bound('members_repurchased', 'members', 'non_members_repurchased', 'non_members', 'low') }}
            as difference_lower,
        {{ uplift_newcombe_bound('members_repurchased', 'members', 'non_members_repurchased', 'non_members', 'high') }}
            as difference_upper,
        1.0 as members_compared_share,
        'newcombe_hybrid_score' as interval_method
    from raw_comparison
),

-- stratified by first-order month x market x acquisition channel
cohort_strata as (
    select
        window_days,
        cohort_month || '|' || market_country_code || '|' || acquisition_channel as stratum,
        count(*) filter (where is_member) as members,
        count(*) filter (where not is_member) as non_members,
        count(*) filter (where is_member and has_repurchased) as members_repurchased,
        count(*) filter (where not is_member and has_repurchased) as non_members_repurchased
    from buyers
    where is_eligible
    group by all
),

-- after joining: month-end landmarks with the purchase history at that moment
purchase_days as (
    select
        customer_key,
        order_date_local as purchase_date,
        max(purchase_day_number) as purchase_day_number
    from orders
    group by customer_key, order_date_local
),

purchase_days_sequenced as (
    select
        *,
        lead(purchase_date) over (partition by customer_key order by purchase_date) as next_purchase_date
    from purchase_days
),

month_ends as (
    select (month_start + interval 1 month - interval 1 day)::date as landmark_date
    from (
        select
            {{ unnest_date_series('bounds.first_month', 'bounds.last_month', 'interval 1 month') }} as month_start
        from (
            select
                date_trunc('month', min(purchase_days.purchase_date)) as first_month,
                date_trunc('month', max(observation_end.as_of_date)) as last_month
            from purchase_days
            cross join observation_end
        ) as bounds
    ) as months
),

landmarks as (
    -- every buyer at every month end from their first purchase: member joining that month, or not
    -- a member yet
    select
        customers.customer_key,
        month_ends.landmark_date,
        customers.first_member_date is not null
        and customers.first_member_date >= date_trunc('month', month_ends.landmark_date)
        and customers.first_member_date <= month_ends.landmark_date as is_joining_member
    from customers
    inner join month_ends
        on
            customers.first_purchase_date <= month_ends.landmark_date
            and (
                customers.first_member_date is null
                or customers.first_member_date >= date_trunc('month', month_ends.landmark_date)
            )
),

landmark_history as (
    select
        landmarks.*,
        purchase_days_sequenced.purchase_day_number as purchase_days_so_far,
        {{ days_between('purchase_days_sequenced.purchase_date', 'landmarks.landmark_date') }}
            as days_since_last_purchase,
        purchase_days_sequenced.next_purchase_date
    from landmarks
    {{ asof_join('inner', 'purchase_days_sequenced', 'purchase_days_sequenced',
        [('landmarks.customer_key', 'customer_key')], 'landmarks.landmark_date', '>=', 'purchase_date') }}
),

landmark_windows as (
    select
        windows.window_days,
        landmark_history.is_joining_member as is_member,
        landmark_history.landmark_date
        || '|' || least(landmark_history.purchase_days_so_far, 5)
        || '|' || case
            when landmark_history.days_since_last_purchase <= 30 then '0-30'
            when landmark_history.days_since_last_purchase <= 90 then '31-90'
            when landmark_history.days_since_last_purchase <= 180 then '91-180'
            else '181+'
        end as stratum,
        coalesce(
            {{ days_between('landmark_history.landmark_date', 'landmark_history.next_purchase_date') }}
            <= windows.window_days,
            false
        ) as has_repurchased
    from landmark_history
    cross join windows
    cross join observation_end
    where landmark_history.landmark_date + windows.window_days <= observation_end.as_of_date
),

history_strata as (
    select
        window_days,
        stratum,
        count(*) filter (where is_member) as members,
        count(*) filter (where not is_member) as non_members,
        count(*) filter (where is_member and has_repurchased) as members_repurchased,
        count(*) filter (where not is_member and has_repurchased) as non_members_repurchased
    from landmark_windows
    group by all
),

strata as (
    select
        'stratified' as comparison,
        *
    from cohort_strata
    union all
    select
        'after_joining' as comparison,
        *
    from history_strata
),

standardised as (
    -- direct standardisation to the members' mix over the strata holding both groups
    select
        comparison,
        window_days,
        sum(members) as members,
        sum(non_members) as non_members,
        sum(members_repurchased) as members_repurchased,
        sum(non_members_repurchased) as non_members_repurchased,
        sum(members) filter (where non_members > 0) as members_compared,
        sum(members_repurchased) filter (where non_members > 0)
        / nullif(sum(members) filter (where non_members > 0), 0)::double as member_repurchase_rate,
        -- the weighted sums use exact_sum: the same figure whatever order the strata arrive in
        {{ exact_sum('case when non_members > 0 then members * non_members_repurchased / non_members::double end') }}
        / nullif(sum(members) filter (where non_members > 0), 0)::double as non_member_repurchase_rate,
        sqrt(
            {{ exact_sum(
                'case when non_members > 0 and members > 0 then members * members * ('
                ~ '(members_repurchased / members::double) * (1 - members_repurchased / members::double) / members'
                ~ ' + (non_members_repurchased / non_members::double)'
                ~ ' * (1 - non_members_repurchased / non_members::double) / non_members) end'
            ) }}
        ) / nullif(sum(members) filter (where non_members > 0), 0)::double as difference_standard_error
    from strata
    group by comparison, window_days
),

standardised_rated as (
    select
        comparison,
        window_days,
        members,
        non_members,
        members_repurchased,
        non_members_repurchased,
        member_repurchase_rate,
        non_member_repurchase_rate,
        member_repurchase_rate - non_member_repurchase_rate - 1.959964 * difference_standard_error
            as difference_lower,
        member_repurchase_rate - non_member_repurchase_rate + 1.959964 * difference_standard_error
            as difference_upper,
        members_compared / nullif(members, 0)::double as members_compared_share,
        'wald_standardised' as interval_method
    from standardised
),

unioned as (
    -- the same columns in the same order
    select * from raw_rated
    union all
    select * from standardised_rated
),

final as (
    select
        comparison,
        window_days,
        members::bigint as members,
        non_members::bigint as non_members,
        members_repurchased::bigint as members_repurchased,
        non_members_repurchased::bigint as non_members_repurchased,
        member_repurchase_rate,
        non_member_repurchase_rate,
        member_repurchase_rate - non_member_repurchase_rate as repurchase_difference,
        difference_lower,
        difference_upper,
        interval_method,
        members_compared_share,
        comparison = 'after_joining' as is_recommended,
        case comparison
            when 'raw'
                then
                    'Repurchase after the first purchase, members against non-members: inflated, '
                    || 'since most members join after buying again.'
            when 'stratified'
                then
                    'As raw, non-members weighted to the members'' first-order month, market and '
                    || 'channel: still includes the members'' heavier buying before they joined.'
            else
                'Repurchase after the join month against non-members with the same purchase history at that '
                || 'month end: the figure to read (an upper bound: not an experiment).'
        end as reading_note
    from unioned
)

select * from final
