{% test expression_is_true(model, expression) %}
{#- Fails with the rows of the model for which the boolean expression does not hold. -#}
select *
from {{ model }}
where not ({{ expression }})
{% endtest %}
