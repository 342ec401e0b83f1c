{% macro attr_round_ratio(numerator, denominator, decimals) -%}
    {#- numerator / denominator as a double, rounded half up to `decimals` places with IEEE
        arithmetic only, so that every engine gives the same digits (DuckDB divides decimals
        into doubles, Spark into exact decimals, and their round() differ on halves). -#}
    (floor(cast({{ numerator }} as double) / ({{ denominator }}) * {{ 10 ** decimals }} + 0.5) / {{ 10 ** decimals }})
{%- endmacro %}
