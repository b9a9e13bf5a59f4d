-- raw_value(..., 'boolean') reads true/false, 1/0, yes/no, t/f, y/n in any case and with spaces
-- around; anything else is null (staging then flags it invalid_value, raw_unparseable); an empty
-- value is null and not unparseable (missing_required decides).
with

spellings as (
    select *
    from (
        values
        ('true', true, false), ('TRUE', true, false), ('True', true, false), ('1', true, false),
        ('yes', true, false), ('Y', true, false), ('t', true, false), (' yes ', true, false),
        ('false', false, false), ('FALSE', false, false), ('0', false, false), ('no', false, false),
        ('N', false, false), ('f', false, false),
        ('maybe', null, true), ('2', null, true), ('ja', null, true), ('', null, false)
    ) as cases (is_control, expected, expected_unparseable)
),

parsed as (
    select
        *,
        {{ raw_value('is_control', 'boolean', {}) }} as parsed,
        {{ raw_unparseable('is_control', 'boolean', {}) }} as unparseable
    from spellings
)

select * from parsed
where parsed is distinct from expected or unparseable != expected_unparseable
