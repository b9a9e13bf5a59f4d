{# purpose: fails on every row whose raw_record presence disagrees with its quarantine_reason: raw values are kept for rejected rows only (not for accepted nor erased rows), and every rejected row has them #}
{% test raw_record_only_when_rejected(model) %}
select *
from {{ model }}
where (raw_record is not null) != coalesce(quarantine_reason != 'erased', false)
{% endtest %}
