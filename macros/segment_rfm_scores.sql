{#
    purpose: select text: the RFM quintile scores of the buyers in `source` (rows of
    int_customer_segment_states with a purchase day in the look-back), ranked among the buyers of
    the same evaluation date, keeping `key_columns`. score = 1 + floor(5 x (rank - 1) /
    (buyers - 1)), capped at 5; rank() gives equal values the same rank, hence the same score;
    recency ranks in reverse (most recent = 5). One implementation for the model and its
    incremental bookkeeping.
#}
{% macro segment_rfm_scores(source, key_columns) -%}
    select
        {{ key_columns | join(', ') }},
    {%- for score, order in [
        ('r_score', days_between('last_purchase_date', 'segment_date') ~ ' desc'),
        ('f_score', 'rfm_purchase_days'),
        ('m_score', 'rfm_net_usd')] %}
        cast(
            least(
                5,
                1 + coalesce(
                    {{ integer_divide(
                        '5 * (rank() over (partition by segment_date order by ' ~ order ~ ') - 1)',
                        'nullif(count(*) over (partition by segment_date) - 1, 0)'
                    ) }},
                    0
                )
            ) as integer
        ) as {{ score }}
        {{- ',' if not loop.last }}
    {%- endfor %}
    from {{ source }}
    where rfm_purchase_days > 0
{%- endmacro %}
