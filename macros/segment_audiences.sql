{% macro segment_hash_email(expression) -%}
    {#- Ad platforms' customer-match format: SHA-256 hex of the lower-case, trimmed email. -#}
    {{ customer_segments.sha256_hex('lower(trim(' ~ expression ~ '))') }}
{%- endmacro %}


{% macro segment_hash_phone(expression) -%}
    {#- SHA-256 hex of the E.164 phone (`+84912345678`), trimmed. -#}
    {{ customer_segments.sha256_hex('trim(' ~ expression ~ ')') }}
{%- endmacro %}
