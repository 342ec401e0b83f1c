{% macro attr_top_value(relation, key_column, value_column, weight_expression='count(*)', recency_column=none, output_column=none) -%}
    {#- One row per key_column: the value_column with the largest weight, ties broken by the most
        recent recency_column, then by the smallest value. Null values are ignored. Two hash
        aggregations (per key and value, then attr_top_value_pick per key), no window. -#}
    select
        {{ key_column }},
        {{ attr_top_value_pick(value_column, 'value_weight', 'value_last_at' if recency_column else none) }}
            as {{ output_column or value_column }}
    from (
        select
            {{ key_column }},
            {{ value_column }},
            {{ weight_expression }} as value_weight{% if recency_column %},
            max({{ recency_column }}) as value_last_at{% endif %}
        from {{ relation }}
        where {{ value_column }} is not null
        group by {{ key_column }}, {{ value_column }}
    ) as weighted_values
    group by {{ key_column }}
{%- endmacro %}


{% macro attr_top_value_pick(value_column, weight_column, recency_column=none) -%}
    {#- Aggregate over rows already holding one weight (and last time) per value: the value with
        the largest weight, ties broken by the latest recency_column, then the smallest value.
        The one definition of the top-value tie policy. -#}
    {%- set order_expressions = ['-' ~ weight_column] -%}
    {%- if recency_column -%}
        {%- do order_expressions.append('-' ~ attr_epoch_microseconds(recency_column)) -%}
    {%- endif -%}
    {%- do order_expressions.append(value_column) -%}
    {{ attr_min_by(value_column, order_expressions) }}
{%- endmacro %}
