{% macro sql_string(value) -%}
    {#- A string literal of a text value, escaped for the target engine. -#}
    {{ return(adapter.dispatch('sql_string', 'customer_segments')(value)) }}
{%- endmacro %}

{% macro default__sql_string(value) -%}
    '{{ (value | string) | replace("'", "''") }}'
{%- endmacro %}

{% macro spark__sql_string(value) -%}
    {#- Spark reads backslash escapes inside literals and joins 'a''b' into 'ab'. -#}
    '{{ (value | string) | replace('\\', '\\\\') | replace("'", "\\'") }}'
{%- endmacro %}


{% macro sql_string_list(values) -%}
    {#- Comma-separated literals of a list of texts, for `in (...)`. -#}
    {%- for value in values %}{{ customer_segments.sql_string(value) }}{{ ', ' if not loop.last }}{% endfor -%}
{%- endmacro %}


{% macro portable_sql(sql) -%}
    {#- A SQL fragment written in standard SQL (literals in single quotes, a quote doubled),
        with every literal rewritten by sql_string for the target engine. -#}
    {%- set parts = modules.re.split("('(?:[^']|'')*')", sql) -%}
    {%- for part in parts -%}
        {%- if loop.index is even -%}
            {{ customer_segments.sql_string(part[1:-1] | replace("''", "'")) }}
        {%- else -%}
            {{ part }}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
