{% macro try_cast_timestamp_utc(expression) -%}
    {{ return(adapter.dispatch('try_cast_timestamp_utc', 'customer_segments')(expression)) }}
{%- endmacro %}

{% macro default__try_cast_timestamp_utc(expression) -%}
    {#- Spark: with spark.sql.session.timeZone = UTC, an ISO-8601 text with an offset is shifted
        to UTC and one without an offset is read as UTC. -#}
    {{ customer_segments.try_cast_as(expression, 'timestamp') }}
{%- endmacro %}

{% macro duckdb__try_cast_timestamp_utc(expression) -%}
    {#- Parse with its offset (a text without one is UTC: the session time zone is UTC), then
        drop the zone: the result is a naive timestamp in UTC. -#}
    cast(try_cast({{ expression }} as timestamptz) as timestamp)
{%- endmacro %}
