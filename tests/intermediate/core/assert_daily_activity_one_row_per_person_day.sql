-- int_customer_daily_activity holds one row per person and market-local day, however many
-- incremental runs touched it (tombstones included).
select
    customer_key,
    activity_date,
    count(*) as rows_for_the_day
from {{ ref('int_customer_daily_activity') }}
group by customer_key, activity_date
having count(*) > 1
