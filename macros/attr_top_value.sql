{% macro attr_top_value(relation, key_column, value_column, weight_expression='count(*)', recency_column=none, output_column=none) -%}
    {#- One row per key_column: the value_column with the largest weight, ties broken by the most
        recent recency_column, then by the smallest value. Null values are ignored. -#}
    select
        {{ key_column }},
        {{ value_column }} as {{ output_column or value_column }}
    from (
        select
            {{ key_column }},
            {{ value_column }},
            row_number() over (
                partition by {{ key_column }}
                order by value_weight desc{% if recency_column %}, value_last_at desc{% endif %}, {{ value_column }} asc
            ) as value_rank
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
    ) as ranked_values
    where value_rank = 1
{%- endmacro %}
