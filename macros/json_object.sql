{% macro json_object(columns) -%}
    {{ return(adapter.dispatch('json_object', 'customer_segments')(columns)) }}
{%- endmacro %}

{% macro default__json_object(columns) -%}
    to_json(named_struct(
        {%- for column in columns %}
        '{{ column }}', {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    ))
{%- endmacro %}

{% macro duckdb__json_object(columns) -%}
    cast(to_json(struct_pack(
        {%- for column in columns %}
        "{{ column }}" := {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    )) as varchar)
{%- endmacro %}
