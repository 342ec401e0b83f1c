{% macro attr_match_group(expression, groups_var, else_label='other', null_label='unknown') -%}
    {#- The first group (in var order) one of whose patterns occurs in lower(expression). -#}
    case
        when {{ expression }} is null then '{{ null_label }}'
        {%- for group, patterns in var(groups_var).items() %}
        when {% for pattern in patterns %}lower({{ expression }}) like '%{{ pattern }}%'{{ ' or ' if not loop.last }}{% endfor %} then '{{ group }}'
        {%- endfor %}
        else '{{ else_label }}'
    end
{%- endmacro %}
