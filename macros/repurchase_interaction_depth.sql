{# purpose: interaction depth tier of a count of live interactions: none (0), low (1 .. high_interaction_threshold), high (more) #}
{% macro repurchase_interaction_depth(interactions) -%}
    case
        when coalesce({{ interactions }}, 0) = 0 then 'none'
        when {{ interactions }} <= {{ var('high_interaction_threshold') }} then 'low'
        else 'high'
    end
{%- endmacro %}
