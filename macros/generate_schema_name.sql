{% macro generate_schema_name(custom_schema_name, node) -%}
    {#- Layers land in fixed schemas (staging, intermediate, marts, reference) so that BI reads
        one stable schema, `marts`, whatever the target's default schema is. -#}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
