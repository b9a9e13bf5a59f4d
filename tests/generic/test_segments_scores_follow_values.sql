{# purpose: fails where equal values get different scores, or a better value gets a lower score than a worse one, within each partition (RFM quintile scores) #}
{% test segments_scores_follow_values(model, column_name, value_column, partition_by, higher_is_better=true) %}
with

values_scored as (
    select
        {{ partition_by | join(', ') }},
        {{ value_column }} as scored_value,
        min({{ column_name }}) as min_score,
        max({{ column_name }}) as max_score
    from {{ model }}
    where {{ column_name }} is not null
    group by {{ partition_by | join(', ') }}, {{ value_column }}
),

ordered as (
    select
        *,
        lag(max_score) over (
            partition by {{ partition_by | join(', ') }}
            order by scored_value {{ 'asc' if higher_is_better else 'desc' }}
        ) as previous_value_max_score
    from values_scored
)

select *
from ordered
where min_score != max_score or previous_value_max_score > min_score
{% endtest %}
