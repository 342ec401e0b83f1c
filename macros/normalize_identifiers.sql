{% macro normalize_email(expression) -%}
    {#- Lower-case, trimmed, without a `mailto:` prefix. Validity is checked by is_valid_email. -#}
    nullif(trim(replace(lower(trim({{ expression }})), 'mailto:', '')), '')
{%- endmacro %}


{% macro is_valid_email(normalized_expression) -%}
    {{ customer_segments.regexp_full_match(normalized_expression, "[^@\\s]+@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,}") }}
{%- endmacro %}


{% macro is_placeholder_email(normalized_expression) -%}
    ({%- for pattern in var('placeholder_emails') %}{{ normalized_expression }} like {{ customer_segments.sql_string(pattern) }}{{ ' or ' if not loop.last }}{% endfor -%})
{%- endmacro %}


{% macro phone_digits(expression) -%}
    {{ customer_segments.regexp_replace_all(expression, '[^0-9]', '') }}
{%- endmacro %}


{% macro country_calling_code(country_expression) -%}
    {#- Calling code (digits, no `+`) of an ISO-3166 alpha-2 country, from the country_codes
        seed; the default_phone_country's code when the country is null or unknown. -#}
    {%- set codes = {} -%}
    {%- if execute -%}
        {%- for row in run_query('select country_code, calling_code from ' ~ ref('country_codes') ~ ' where calling_code is not null').rows -%}
            {%- do codes.update({row[0]: row[1]}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set default_code = codes.get(var('default_phone_country'), '84') -%}
    case upper({{ country_expression }})
        {%- for country, code in codes.items() | sort %}
        when '{{ country }}' then '{{ code }}'
        {%- endfor %}
        else '{{ default_code }}'
    end
{%- endmacro %}


{% macro normalize_phone_e164(expression, calling_code_expression) -%}
    {#- E.164 (`+<country code><number>`) from a dirty phone text: `+` or `00` prefixes keep
        their country code; a national number with a trunk `0` or no prefix gets the row's
        country calling code. Returns the candidate; is_valid_e164 tells if it is plausible. -#}
    case
        when {{ expression }} is null or {{ customer_segments.phone_digits(expression) }} = '' then null
        when trim({{ expression }}) like '+%'
            then concat('+', {{ customer_segments.phone_digits(expression) }})
        when {{ customer_segments.phone_digits(expression) }} like '00%'
            then concat('+', substr({{ customer_segments.phone_digits(expression) }}, 3))
        when {{ customer_segments.phone_digits(expression) }} like '0%'
            then concat('+', {{ calling_code_expression }}, substr({{ customer_segments.phone_digits(expression) }}, 2))
        when {{ customer_segments.phone_digits(expression) }} like concat({{ calling_code_expression }}, '%')
            and length({{ customer_segments.phone_digits(expression) }}) >= length({{ calling_code_expression }}) + 8
            then concat('+', {{ customer_segments.phone_digits(expression) }})
        else concat('+', {{ calling_code_expression }}, {{ customer_segments.phone_digits(expression) }})
    end
{%- endmacro %}


{% macro is_valid_phone_text(expression) -%}
    {#- Only phone punctuation, an optional `tel:` prefix, and 8-15 digits in the E.164 form. -#}
    {{ customer_segments.regexp_full_match('lower(trim(' ~ expression ~ '))', "(tel:)?[0-9 +().\\-/]+") }}
{%- endmacro %}


{% macro is_valid_e164(e164_expression) -%}
    (length({{ e164_expression }}) between 9 and 16)
{%- endmacro %}


{% macro is_placeholder_phone(text_expression, e164_expression) -%}
    {#- A listed placeholder (var placeholder_phones, compared in E.164), or one digit repeated
        (0000000000, 1111111111), or a run of consecutive digits (0123456789, 123456789). -#}
    (
        {{ e164_expression }} in ({{ customer_segments.sql_string_list(var('placeholder_phones')) }})
        or (
            length({{ customer_segments.phone_digits(text_expression) }}) >= 6
            and replace(
                {{ customer_segments.phone_digits(text_expression) }},
                substr({{ customer_segments.phone_digits(text_expression) }}, 1, 1),
                ''
            ) = ''
        )
        or {{ customer_segments.phone_digits(text_expression) }} in ('0123456789', '123456789', '1234567890')
    )
{%- endmacro %}


{% macro is_placeholder_text(expression) -%}
    (lower(trim({{ expression }})) in ({{ customer_segments.sql_string_list(var('placeholder_texts')) }}))
{%- endmacro %}


{% macro parse_boolean(expression) -%}
    case
        when lower(trim({{ expression }})) in ('true', 't', '1', 'yes', 'y') then true
        when lower(trim({{ expression }})) in ('false', 'f', '0', 'no', 'n') then false
    end
{%- endmacro %}
