{#-
    Column macros of the base models (models/staging/base/base_raw__<source>.sql, generated from
    the contract by scripts/gen_base_models.py). Each base model trims every landing column to
    `<column>__text`, parses it into `<column>__value` with one of the parse macros below, and
    evaluates its rules with the condition macros (each a SQL condition over those two columns).
-#}

{#- Parse macros: the typed value of `<column>__text`. -#}

{% macro raw_timestamp(column) -%}
    {{ customer_segments.raw_parse_temporal(column ~ '__text', 'timestamp') }}
{%- endmacro %}

{% macro raw_date(column) -%}
    {{ customer_segments.raw_parse_temporal(column ~ '__text', 'date') }}
{%- endmacro %}

{% macro raw_decimal(column, sql_type='decimal(18, 4)') -%}
    {{ customer_segments.try_cast_as(customer_segments.raw_number_text(column ~ '__text'), sql_type) }}
{%- endmacro %}

{% macro raw_integer(column) -%}
    {{ customer_segments.try_cast_as(customer_segments.raw_number_text(column ~ '__text'), dbt.type_bigint()) }}
{%- endmacro %}

{% macro raw_number_text(text) -%}
    {#- A number as written in the landing files, rewritten with `.` as decimal point and no
        grouping: the vars thousands_separator (default none) and decimal_separator (default
        `.`) say how the files write numbers. -#}
    {%- set thousands = var('thousands_separator') | string -%}
    {%- set decimal = var('decimal_separator') | string -%}
    {%- set expression = text -%}
    {%- if thousands -%}
        {%- set expression = "replace(" ~ expression ~ ", " ~ customer_segments.sql_string(thousands) ~ ", '')" -%}
    {%- endif -%}
    {%- if decimal != '.' -%}
        {%- set expression = "replace(" ~ expression ~ ", " ~ customer_segments.sql_string(decimal) ~ ", '.')" -%}
    {%- endif -%}
    {{ return(expression) }}
{%- endmacro %}

{% macro raw_parse_temporal(text, data_type) -%}
    {#- A timestamp (UTC) or date: ISO-8601 always; with var date_order dmy or mdy also
        day-first or month-first texts such as 01/03/2025 or 01.03.2025 14:30. -#}
    {%- set order = var('date_order') | string | lower -%}
    {%- if order not in ('iso', 'dmy', 'mdy') -%}
        {{ exceptions.raise_compiler_error("var date_order must be iso, dmy or mdy, not '" ~ order ~ "'") }}
    {%- endif -%}
    {%- set iso = customer_segments.try_cast_timestamp_utc(text) if data_type == 'timestamp' else customer_segments.try_cast_as(text, 'date') -%}
    {%- if order == 'iso' -%}
        {{ return(iso) }}
    {%- endif -%}
    {{ return('coalesce(' ~ iso ~ ', ' ~ customer_segments.parse_day_month(text, order, data_type) ~ ')') }}
{%- endmacro %}

{% macro parse_day_month(text, order, data_type) -%}
    {{ return(adapter.dispatch('parse_day_month', 'customer_segments')(text, order, data_type)) }}
{%- endmacro %}

{% macro default__parse_day_month(text, order, data_type) -%}
    {#- Spark: the first pattern that parses (try_to_timestamp returns null on no match). -#}
    {%- set day_month = 'dd{s}MM{s}yyyy' if order == 'dmy' else 'MM{s}dd{s}yyyy' -%}
    {%- set parts = [] -%}
    {%- for separator in ['/', '-', '.'] -%}
        {%- for time in ['', ' HH:mm', ' HH:mm:ss'] -%}
            {%- do parts.append("try_to_timestamp(" ~ text ~ ", '" ~ day_month.replace('{s}', separator) ~ time ~ "')") -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set parsed = 'coalesce(' ~ (parts | join(', ')) ~ ')' -%}
    {{ 'cast(' ~ parsed ~ ' as date)' if data_type == 'date' else parsed }}
{%- endmacro %}

{% macro duckdb__parse_day_month(text, order, data_type) -%}
    {%- set day_month = '%d{s}%m{s}%Y' if order == 'dmy' else '%m{s}%d{s}%Y' -%}
    {%- set formats = [] -%}
    {%- for separator in ['/', '-', '.'] -%}
        {%- for time in ['', ' %H:%M', ' %H:%M:%S'] -%}
            {%- do formats.append("'" ~ day_month.replace('{s}', separator) ~ time ~ "'") -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set parsed = 'try_strptime(' ~ text ~ ', [' ~ (formats | join(', ')) ~ '])' -%}
    {{ 'cast(' ~ parsed ~ ' as date)' if data_type == 'date' else parsed }}
{%- endmacro %}

{% macro raw_boolean(column) -%}
    {{ customer_segments.parse_boolean(column ~ '__text') }}
{%- endmacro %}

{% macro raw_code(column, upper=false) -%}
    {{ 'upper' if upper else 'lower' }}({{ column }}__text)
{%- endmacro %}

{% macro raw_email(column) -%}
    {{ customer_segments.normalize_email(column ~ '__text') }}
{%- endmacro %}

{% macro raw_phone(column, country_column=none) -%}
    {%- set country = country_column ~ '__text' if country_column else "'" ~ var('default_phone_country') ~ "'" -%}
    {{ customer_segments.normalize_phone_e164(column ~ '__text', customer_segments.country_calling_code(country)) }}
{%- endmacro %}

{#- Condition macros: true when the column breaks the rule. -#}

{% macro raw_is_unparsable(column) -%}
    {{ column }}__text is not null and {{ column }}__value is null
{%- endmacro %}

{% macro raw_code_is_known(column, values_var=none, values_seed=none, values_column=none) -%}
    {%- set known = customer_segments.accepted_code_values({'values_var': values_var, 'values_seed': values_seed, 'values_column': values_column}) -%}
    coalesce({{ column }}__value in ({% for item in known %}'{{ item }}'{{ ', ' if not loop.last }}{% endfor %}), false)
{%- endmacro %}

{% macro raw_is_unknown_country(column) -%}
    {%- set countries = customer_segments.accepted_code_values({'values_seed': 'country_codes', 'values_column': 'country_code'}) -%}
    {{ column }}__value is not null and {{ column }}__value not in ({{ "'" ~ (countries | join("', '")) ~ "'" }})
{%- endmacro %}

{% macro raw_is_placeholder_email(column) -%}
    {%- set value = column ~ '__value' -%}
    {{ value }} is not null and ({{ customer_segments.is_placeholder_email(value) }} or {{ customer_segments.is_placeholder_text(value) }})
{%- endmacro %}

{% macro raw_is_malformed_email(column) -%}
    {%- set value = column ~ '__value' -%}
    {{ value }} is not null and not {{ customer_segments.is_valid_email(value) }}
{%- endmacro %}

{% macro raw_is_placeholder_phone(column) -%}
    {%- set text = column ~ '__text' -%}
    {{ text }} is not null and ({{ customer_segments.is_placeholder_text(text) }} or {{ customer_segments.is_placeholder_phone(text, column ~ '__value') }})
{%- endmacro %}

{% macro raw_is_malformed_phone(column) -%}
    {%- set text = column ~ '__text' -%}
    {{ text }} is not null and not ({{ customer_segments.is_valid_phone_text(text) }} and coalesce({{ customer_segments.is_valid_e164(column ~ '__value') }}, false))
{%- endmacro %}

{% macro raw_is_placeholder_identifier(column) -%}
    {%- set text = column ~ '__text' -%}
    {{ text }} is not null and {{ customer_segments.is_placeholder_text(text) }}
{%- endmacro %}

{% macro raw_run_time() -%}
    cast('{{ run_started_at.strftime('%Y-%m-%d %H:%M:%S') }}' as timestamp)
{%- endmacro %}

{% macro raw_is_implausible_birth_date(column) -%}
    {%- set value = column ~ '__value' -%}
    {{ value }} < cast('1900-01-01' as date) or {{ value }} > cast({{ customer_segments.raw_run_time() }} as date)
{%- endmacro %}

{% macro raw_is_in_future(column) -%}
    {{ column }}__value > {{ dbt.dateadd('hour', var('future_tolerance_hours'), customer_segments.raw_run_time()) }}
{%- endmacro %}


{% macro accepted_code_values(meta) -%}
    {#- The allowed values of a coded column: a list var (meta.values_var) or one column of a
        seed (meta.values_seed, meta.values_column). -#}
    {%- if meta.get('values_var') -%}
        {{ return(var(meta['values_var'])) }}
    {%- elif execute -%}
        {%- set query = 'select ' ~ meta['values_column'] ~ ' from ' ~ ref(meta['values_seed']) -%}
        {{ return(run_query(query).columns[0].values() | list) }}
    {%- endif -%}
    {{ return([]) }}
{%- endmacro %}
