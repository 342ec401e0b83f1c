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


{% macro attr_top_listed_value(values, weight_column, recency_column=none) -%}
    {#- The attr_top_value tie policy over a value list known when the SQL is compiled (a var
        such as payment_methods): the per-value weights (and last times) are columns of one row,
        named by weight_column / recency_column with `#` standing for the value's position in
        values (1-based). The value with the largest weight > 0 wins, ties broken by the latest
        time, then by the smallest value; null when every weight is 0. One CASE, no grouping
        by value. -#}
    {%- set weights = [] -%}
    {%- set times = [] -%}
    {%- for value in values -%}
        {%- do weights.append(weight_column | replace('#', loop.index | string)) -%}
        {%- do times.append(recency_column | replace('#', loop.index | string) if recency_column else none) -%}
    {%- endfor -%}
    case
    {%- for value in values %}
        {%- set i = loop.index0 %}
        when {{ weights[i] }} > 0
        {%- for j in range(values | length) if j != i %}
            {#- on equal weights and times the smaller value wins #}
            {%- set tie_wins = 'true' if value < values[j] else 'false' %}
            and (
                {{ weights[i] }} > {{ weights[j] }}
                or {{ weights[i] }} = {{ weights[j] }} and (
                    {%- if recency_column %}
                    {{ times[i] }} > {{ times[j] }} or {{ times[i] }} = {{ times[j] }} and {{ tie_wins }}
                    {%- else %}
                    {{ tie_wins }}
                    {%- endif %}
                )
            )
        {%- endfor %}
            then {{ dbt.string_literal(value) }}
    {%- endfor %}
    end
{%- endmacro %}


{% macro attr_listed_value_aggregates(column, values, recency_column, weight_column=none, weight_suffix='rows', condition=none) -%}
    {#- The per-value columns attr_top_listed_value picks from, for a grouping: per listed value
        (numbered from 1 in list order) its weight, <column>_<n>_<weight_suffix> (the count of
        rows, or the sum of weight_column), and its last recency_column, <column>_<n>_last_at,
        over the rows where column equals the value (and condition holds). Comma-separated,
        without a trailing comma. -#}
    {%- for value in values %}
        {%- set is_value = (condition ~ ' and ' if condition else '') ~ column ~ ' = ' ~ dbt.string_literal(value) %}
        {%- if weight_column %}
        sum(case when {{ is_value }} then {{ weight_column }} else 0 end)
        {%- else %}
        count(case when {{ is_value }} then 1 end)
        {%- endif %} as {{ column }}_{{ loop.index }}_{{ weight_suffix }},
        max(case when {{ is_value }} then {{ recency_column }} end) as {{ column }}_{{ loop.index }}_last_at
        {{- ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
