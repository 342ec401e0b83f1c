{% test accepted_band_values(model, column_name, edges_var) %}
{#- Fails with the values of a band column that attr_band cannot return for the current edges
    (the var edges_var), so the test follows a change of the edges instead of repeating them. -#}
{%- set allowed = customer_segments.attr_band_values(var(edges_var)) %}
select {{ column_name }} as unexpected_value
from {{ model }}
where
    {{ column_name }} is not null
    and {{ column_name }} not in ({% for label in allowed %}'{{ label }}'{{ ', ' if not loop.last }}{% endfor %})
{% endtest %}
