{% macro sha256_hex(expression) -%}
    {{ return(adapter.dispatch('sha256_hex', 'customer_segments')(expression)) }}
{%- endmacro %}

{% macro default__sha256_hex(expression) -%}
    sha2({{ expression }}, 256)
{%- endmacro %}

{% macro duckdb__sha256_hex(expression) -%}
    sha256({{ expression }})
{%- endmacro %}
