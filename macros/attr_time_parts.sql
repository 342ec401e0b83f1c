{% macro attr_iso_day_of_week(timestamp_expression) -%}
    {{ return(adapter.dispatch('attr_iso_day_of_week', 'customer_segments')(timestamp_expression)) }}
{%- endmacro %}

{% macro default__attr_iso_day_of_week(timestamp_expression) -%}
    extract(isodow from {{ timestamp_expression }})
{%- endmacro %}

{% macro duckdb__attr_iso_day_of_week(timestamp_expression) -%}
    isodow({{ timestamp_expression }})
{%- endmacro %}

{% macro spark__attr_iso_day_of_week(timestamp_expression) -%}
    (((dayofweek({{ timestamp_expression }}) + 5) % 7) + 1)
{%- endmacro %}


{% macro attr_hour_of_day(timestamp_expression) -%}
    {{ return(adapter.dispatch('attr_hour_of_day', 'customer_segments')(timestamp_expression)) }}
{%- endmacro %}

{% macro default__attr_hour_of_day(timestamp_expression) -%}
    extract(hour from {{ timestamp_expression }})
{%- endmacro %}

{% macro duckdb__attr_hour_of_day(timestamp_expression) -%}
    hour({{ timestamp_expression }})
{%- endmacro %}

{% macro spark__attr_hour_of_day(timestamp_expression) -%}
    hour({{ timestamp_expression }})
{%- endmacro %}


{% macro attr_date_key(date_expression) -%}
    {#- A date as the integer yyyymmdd (for whole-year ages). -#}
    (
        extract(year from {{ date_expression }}) * 10000
        + extract(month from {{ date_expression }}) * 100
        + extract(day from {{ date_expression }})
    )
{%- endmacro %}
