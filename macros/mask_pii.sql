{% macro mask_pii(column, kind='text') -%}
    {#- A mart column that may hold personal data. With var mask_pii false (default) the column
        as is; with mask_pii true: email -> SHA-256 hex of lower(trim(email)), phone -> SHA-256
        hex of the trimmed E.164 text, name / text / any other kind -> null (as text). -#}
    {{ return(adapter.dispatch('mask_pii', 'customer_segments')(column, kind)) }}
{%- endmacro %}

{% macro default__mask_pii(column, kind='text') -%}
    {%- if customer_segments.is_pii_masked() -%}
        {%- if kind == 'email' -%}
            {{ customer_segments.sha256_hex('lower(trim(' ~ column ~ '))') }}
        {%- elif kind == 'phone' -%}
            {{ customer_segments.sha256_hex('trim(' ~ column ~ ')') }}
        {%- else -%}
            cast(null as {{ dbt.type_string() }})
        {%- endif -%}
    {%- else -%}
        {{ column }}
    {%- endif -%}
{%- endmacro %}


{% macro is_pii_masked() -%}
    {#- True when the var mask_pii is on (true, 'true', 1, 'yes'). -#}
    {%- set value = var('mask_pii', false) -%}
    {{ return(value is sameas true or (value | string | lower) in ('true', '1', 'yes', 'on')) }}
{%- endmacro %}
