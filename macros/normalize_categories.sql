{% macro map_free_text(expression, mapping_var) -%}
    {#- Map free text to a standard value with a {standard: [synonyms]} var; else 'unknown'. -#}
    case
        {%- for standard, synonyms in var(mapping_var).items() %}
        when lower(trim({{ expression }})) in ({{ customer_segments.sql_string_list(synonyms) }}) then {{ customer_segments.sql_string(standard) }}
        {%- endfor %}
        else 'unknown'
    end
{%- endmacro %}


{% macro normalize_language_tag(expression) -%}
    {#- Canonical BCP-47 casing for language[-REGION]: `VI_vn` -> `vi-VN`, `EN` -> `en`. -#}
    case
        when {{ expression }} is null then null
        when {{ dbt.position("'-'", 'replace(trim(' ~ expression ~ "), '_', '-')") }} > 0
            then concat(
                lower({{ dbt.split_part('replace(trim(' ~ expression ~ "), '_', '-')", "'-'", 1) }}),
                '-',
                upper({{ dbt.split_part('replace(trim(' ~ expression ~ "), '_', '-')", "'-'", 2) }})
            )
        else lower(trim({{ expression }}))
    end
{%- endmacro %}
