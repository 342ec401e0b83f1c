{% macro json_object(columns, expressions={}) -%}
    {#- expressions: optional {column: SQL expression} to use instead of the column itself.
        Null values are kept as JSON nulls on every engine. -#}
    {{ return(adapter.dispatch('json_object', 'customer_segments')(columns, expressions)) }}
{%- endmacro %}

{% macro default__json_object(columns, expressions={}) -%}
    {#- Spark drops null fields unless told otherwise. -#}
    to_json(named_struct(
        {%- for column in columns %}
        '{{ column }}', {{ expressions.get(column, column) }}{{ "," if not loop.last }}
        {%- endfor %}
    ), map('ignoreNullFields', 'false'))
{%- endmacro %}

{% macro duckdb__json_object(columns, expressions={}) -%}
    cast(to_json(struct_pack(
        {%- for column in columns %}
        "{{ column }}" := {{ expressions.get(column, column) }}{{ "," if not loop.last }}
        {%- endfor %}
    )) as varchar)
{%- endmacro %}
