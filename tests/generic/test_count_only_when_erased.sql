{# purpose: fails on every erased row (quarantine_reason 'erased') that still carries a value in one of the given columns: a row of an erased account is kept as a count only #}
{% test count_only_when_erased(model, columns) %}
select *
from {{ model }}
where
    quarantine_reason = 'erased'
    and (
        {%- for column in columns %}
        {{ column }} is not null{{ ' or' if not loop.last }}
        {%- endfor %}
    )
{% endtest %}
