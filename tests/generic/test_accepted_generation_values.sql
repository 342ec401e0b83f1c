{% test accepted_generation_values(model, column_name) %}
{#- Fails with the values of the generation column that are neither a name of the var
    attr_generations nor 'unknown'. -#}
select {{ column_name }} as unexpected_value
from {{ model }}
where
    {{ column_name }} is not null
    and {{ column_name }} not in (
        {%- for generation in var('attr_generations') %}'{{ generation.name }}', {% endfor %}'unknown')
{% endtest %}
