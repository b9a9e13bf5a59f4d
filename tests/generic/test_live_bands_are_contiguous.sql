{# purpose: fails on every band of a band table (lower edge included, upper excluded, open last band) that does not start at 0 or at the previous band's upper edge, is empty, or is open-ended without being last #}
{% test live_bands_are_contiguous(model, lower_column, upper_column, order_column) %}
with

bands as (
    select
        {{ order_column }} as band_order,
        {{ lower_column }} as lower_edge,
        {{ upper_column }} as upper_edge,
        lag({{ upper_column }}) over (order by {{ order_column }}) as previous_upper_edge,
        row_number() over (order by {{ order_column }}) as band_number,
        count(*) over () as band_count
    from {{ model }}
)

select *
from bands
where
    (band_number = 1 and lower_edge != 0)
    or (band_number > 1 and lower_edge is distinct from previous_upper_edge)
    or (upper_edge is not null and upper_edge <= lower_edge)
    or (upper_edge is null and band_number != band_count)
    or (upper_edge is not null and band_number = band_count)
{% endtest %}
