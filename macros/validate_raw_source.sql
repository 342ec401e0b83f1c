{#-
    The body of a base model: read one landing source as text, cast every contract column to
    its type, normalise identifiers, evaluate the bad-input rules, and mark versions.

    Column behaviour comes from the source's declaration in models/staging/_raw__sources.yml:
    `data_type` (text, timestamp, date, decimal, integer, boolean; decimals are decimal(18, 4)
    unless meta.sql_type says otherwise) and `meta.check`:
      money        non-negative amount; a negative value rejects the row (negative_amount)
      code         value in the list var `meta.values_var` or seed `meta.values_seed`
                   (lower-cased, or upper-cased with meta.upper); else unknown_<column>
                   (meta.rule_suffix renames it), rejecting the row, or with
                   meta.level = value nulling the value
      email        normalised e-mail; malformed_email / placeholder_identifier nulls the value
      phone        E.164 phone (country from meta.country_column, else default_phone_country);
                   malformed_phone / placeholder_identifier nulls the value
      identifier   an id typed by people (loyalty card, lead id); placeholder text is nulled
      country      ISO-3166 alpha-2; unknown_country_code nulls the value
      birth_date   a date between 1900-01-01 and the run date; else implausible_birth_date
      latitude / longitude   within +-90 / +-180; else invalid_coordinates
      count        non-negative integer; else negative_count nulls the value
      score        row rejected (score_out_of_range) outside meta.min..meta.max
      quantity     positive integer; else invalid_quantity
    meta.pii (name, text) or an email/phone check marks personal data: with var mask_pii on it is
    hashed or nulled in dq_raw_values (and so in marts.quarantined_rows).
    A required column (source meta.required_columns) that is empty rejects the row
    (missing_key for key columns, missing_required_value otherwise); one that cannot be cast
    rejects it too (unparsable_<type>). An optional value that cannot be cast is nulled and
    recorded (value-level). The first failing row rule wins, in the order listed in the README.

    Arguments:
      source_name      contract table name, e.g. 'orders'
      key              list of key columns, e.g. ['order_id']
      version_column   column whose latest value wins among rows of one key (or none)
      event_time_column  timestamp that may not lie in the future (future_timestamp)
      extra_row_rules  list of (rule, condition) over the typed columns, checked last
-#}
{% macro validate_raw_source(source_name, key, version_column=none, event_time_column=none, extra_row_rules=[]) -%}
{%- set relation = source('raw', source_name) -%}
{#- Lookups read by the checks; referenced here so that dbt orders the seeds first. -#}
{%- set country_codes = ref('country_codes') -%}
{%- set currency_codes = ref('currency_codes') -%}
{%- if not execute -%}
select 1 as placeholder
{%- else -%}
{%- set node = customer_segments.raw_source_node(source_name) -%}
{%- set required = node.meta.get('required_columns', []) -%}
{%- set present = customer_segments.raw_relation_columns(source_name) -%}
{%- if present is not none -%}
    {%- set problems = customer_segments.raw_source_problems(node, present.keys() | list) -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error("Landing zone does not meet the contract: " ~ (problems | join('; '))) }}
    {%- endif -%}
{%- endif -%}
{%- set columns = node.columns.values() | list -%}
{%- set column_names = columns | map(attribute='name') | list -%}
{%- set run_time = "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S') ~ "' as timestamp)" -%}
{%- set value_checked = [] -%}
{#- With var mask_pii on, the raw values kept for quarantine hold hashes, not personal data. -#}
{%- set pii_expressions = {} -%}
{%- for column in columns -%}
    {%- set kind = column.meta.get('pii') or (column.meta.get('check') if column.meta.get('check') in ('email', 'phone') else none) -%}
    {%- if kind -%}
        {%- do pii_expressions.update({column.name: customer_segments.mask_pii(column.name, kind)}) -%}
    {%- endif -%}
{%- endfor -%}
{%- set row_rules = [] -%}
{%- set type_rules = {'timestamp': 'unparsable_timestamp', 'date': 'unparsable_date', 'decimal': 'unparsable_number', 'integer': 'unparsable_number', 'boolean': 'unparsable_boolean'} -%}

{#- 1. Missing key and required values. -#}
{%- for column in key -%}
    {%- do row_rules.append(('missing_key', column ~ '__text is null')) -%}
{%- endfor -%}
{%- for column in required if column not in key -%}
    {%- do row_rules.append(('missing_required_value', column ~ '__text is null')) -%}
{%- endfor -%}
{%- set one_of = node.meta.get('required_one_of_values', []) -%}
{%- if one_of -%}
    {%- set parts = [] -%}
    {%- for column in one_of -%}
        {%- do parts.append(column ~ '__text is null') -%}
    {%- endfor -%}
    {%- do row_rules.append(('missing_identifier', parts | join(' and '))) -%}
{%- endif -%}
{#- 2. Required values that cannot be cast. -#}
{%- for column in columns if column.name in required and column.data_type in type_rules -%}
    {%- do row_rules.append((type_rules[column.data_type], column.name ~ '__text is not null and ' ~ column.name ~ '__value is null')) -%}
{%- endfor -%}
{#- 3. Column checks that reject the row. -#}
{%- for column in columns -%}
    {%- set check = column.meta.get('check') -%}
    {%- if check == 'money' -%}
        {%- do row_rules.append(('negative_amount', column.name ~ '__value < 0')) -%}
    {%- elif check == 'positive_money' -%}
        {%- do row_rules.append(('negative_amount', column.name ~ '__value <= 0')) -%}
    {%- elif check == 'quantity' -%}
        {%- do row_rules.append(('invalid_quantity', column.name ~ '__value <= 0')) -%}
    {%- elif check == 'score' -%}
        {%- do row_rules.append(('score_out_of_range', column.name ~ '__value not between ' ~ column.meta['min'] ~ ' and ' ~ column.meta['max'])) -%}
    {%- elif check == 'code' and column.meta.get('level', 'row') == 'row' -%}
        {%- do row_rules.append(('unknown_' ~ column.meta.get('rule_suffix', column.name), column.name ~ '__text is not null and not ' ~ column.name ~ '__is_known')) -%}
    {%- endif -%}
{%- endfor -%}
{%- if event_time_column -%}
    {%- do row_rules.append(('future_timestamp', event_time_column ~ "__value > " ~ dbt.dateadd('hour', var('future_tolerance_hours'), run_time))) -%}
{%- endif -%}
{%- for rule in extra_row_rules -%}
    {%- do row_rules.append(rule) -%}
{%- endfor -%}

with

source_rows as (
    {% if present is none -%}
    {#- Absent source: an empty relation with the contract's columns. -#}
    select
        {%- for column in columns %}
        cast(null as {{ dbt.type_string() }}) as {{ column.name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from (select 1 as no_rows) as absent_source
    where 1 = 0
    {%- else -%}
    select
        {%- for column in columns %}
        {% if column.name in present -%}
        cast({{ adapter.quote(present[column.name]) }} as {{ dbt.type_string() }})
        {%- else -%}
        cast(null as {{ dbt.type_string() }})
        {%- endif %} as {{ column.name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    {%- endif %}
),

trimmed as (
    select
        {%- for column in columns %}
        nullif(trim({{ column.name }}), '') as {{ column.name }}__text,
        {%- endfor %}
        {{ customer_segments.json_object(column_names, pii_expressions) }} as dq_raw_values
    from source_rows
),

parsed as (
    select
        *,
        {%- for column in columns %}
        {%- set check = column.meta.get('check') %}
        {%- set text = column.name ~ '__text' %}
        {%- if check == 'email' %}
        {{ customer_segments.normalize_email(text) }} as {{ column.name }}__value,
        {%- elif check == 'phone' %}
        {%- set country = column.meta.get('country_column') %}
        {{ customer_segments.normalize_phone_e164(text, customer_segments.country_calling_code(country ~ '__text' if country else "'" ~ var('default_phone_country') ~ "'")) }} as {{ column.name }}__value,
        {%- elif check in ('code', 'country') %}
        {{ 'upper' if column.meta.get('upper') or check == 'country' else 'lower' }}({{ text }}) as {{ column.name }}__value,
        {%- elif column.data_type == 'timestamp' %}
        {{ customer_segments.try_cast_timestamp_utc(text) }} as {{ column.name }}__value,
        {%- elif column.data_type == 'date' %}
        {{ customer_segments.try_cast_as(text, 'date') }} as {{ column.name }}__value,
        {%- elif column.data_type == 'decimal' %}
        {{ customer_segments.try_cast_as(text, column.meta.get('sql_type', 'decimal(18, 4)')) }} as {{ column.name }}__value,
        {%- elif column.data_type == 'integer' %}
        {{ customer_segments.try_cast_as(text, dbt.type_bigint()) }} as {{ column.name }}__value,
        {%- elif column.data_type == 'boolean' %}
        {{ customer_segments.parse_boolean(text) }} as {{ column.name }}__value,
        {%- else %}
        {{ text }} as {{ column.name }}__value,
        {%- endif %}
        {%- endfor %}
        {{ customer_segments.sha256_hex('dq_raw_values') }} as dq_row_hash
    from trimmed
),

checked as (
    select
        *,
        {%- for column in columns %}
        {%- set check = column.meta.get('check') %}
        {%- set text = column.name ~ '__text' %}
        {%- set value = column.name ~ '__value' %}
        {%- if check == 'code' %}
        {%- set known = customer_segments.accepted_code_values(column.meta) %}
        coalesce({{ value }} in ({% for item in known %}'{{ item }}'{{ ', ' if not loop.last }}{% endfor %}), false) as {{ column.name }}__is_known,
        {%- endif %}
        {%- set issue = [] %}
        {%- if column.name not in required and column.name not in key %}
            {%- if check == 'email' %}
                {%- do issue.append((value ~ ' is not null and (' ~ customer_segments.is_placeholder_email(value) ~ ' or ' ~ customer_segments.is_placeholder_text(value) ~ ')', 'placeholder_identifier')) %}
                {%- do issue.append((value ~ ' is not null and not ' ~ customer_segments.is_valid_email(value), 'malformed_email')) %}
            {%- elif check == 'phone' %}
                {%- do issue.append((text ~ ' is not null and (' ~ customer_segments.is_placeholder_text(text) ~ ' or ' ~ customer_segments.is_placeholder_phone(text, value) ~ ')', 'placeholder_identifier')) %}
                {%- do issue.append((text ~ ' is not null and not (' ~ customer_segments.is_valid_phone_text(text) ~ ' and coalesce(' ~ customer_segments.is_valid_e164(value) ~ ', false))', 'malformed_phone')) %}
            {%- elif check == 'code' and column.meta.get('level') == 'value' %}
                {%- do issue.append((text ~ ' is not null and not ' ~ column.name ~ '__is_known', 'unknown_' ~ column.meta.get('rule_suffix', column.name))) %}
            {%- elif check == 'identifier' %}
                {%- do issue.append((text ~ ' is not null and ' ~ customer_segments.is_placeholder_text(text), 'placeholder_identifier')) %}
            {%- elif check == 'country' %}
                {%- set countries = customer_segments.accepted_code_values({'values_seed': 'country_codes', 'values_column': 'country_code'}) %}
                {%- do issue.append((value ~ ' is not null and ' ~ value ~ ' not in (' ~ ("'" ~ (countries | join("', '")) ~ "'") ~ ')', 'unknown_country_code')) %}
            {%- elif column.data_type in type_rules %}
                {%- do issue.append((text ~ ' is not null and ' ~ value ~ ' is null', type_rules[column.data_type])) %}
            {%- endif %}
            {%- if check == 'birth_date' %}
                {%- do issue.append((value ~ " < cast('1900-01-01' as date) or " ~ value ~ ' > cast(' ~ run_time ~ ' as date)', 'implausible_birth_date')) %}
            {%- elif check == 'latitude' %}
                {%- do issue.append(('abs(' ~ value ~ ') > 90', 'invalid_coordinates')) %}
            {%- elif check == 'longitude' %}
                {%- do issue.append(('abs(' ~ value ~ ') > 180', 'invalid_coordinates')) %}
            {%- elif check == 'count' %}
                {%- do issue.append((value ~ ' < 0', 'negative_count')) %}
            {%- endif %}
        {%- endif %}
        {%- if issue %}
        {%- do value_checked.append(column.name) %}
        case
            {%- for condition, rule in issue %}
            when {{ condition }} then '{{ rule }}'
            {%- endfor %}
        end as {{ column.name }}__issue,
        {%- endif %}
        {%- endfor %}
        case
            {%- for rule, condition in row_rules %}
            when {{ condition }} then '{{ rule }}'
            {%- endfor %}
        end as dq_check_rule
    from parsed
),

ranked as (
    select
        *,
        row_number() over (
            partition by {% for column in key %}{{ column }}__value{{ ', ' if not loop.last }}{% endfor %}
            order by
                {%- if version_column %}
                {{ version_column }}__value desc nulls last,
                {%- endif %}
                dq_row_hash
        ) as dq_version_rank
        {%- if version_column %},
        max({{ version_column }}__value) over (
            partition by {% for column in key %}{{ column }}__value{{ ', ' if not loop.last }}{% endfor %}
        ) as dq_latest_version
        {%- endif %}
    from checked
    where dq_check_rule is null
),

ranked_copies as (
    {#- Exact copies of a row are numbered in version-rank order, so the copy that stays clean
        is always copy 1 and dq_row_id is the same from run to run. -#}
    select
        *,
        row_number() over (partition by dq_row_hash order by dq_version_rank) as dq_copy_number
    from ranked
),

rejected as (
    select
        *,
        cast(null as {{ dbt.type_bigint() }}) as dq_version_rank,
        {%- if version_column %}
        cast(null as {{ dbt.type_timestamp() }}) as dq_latest_version,
        {%- endif %}
        row_number() over (partition by dq_row_hash order by dq_row_hash) as dq_copy_number
    from checked
    where dq_check_rule is not null
),

final as (
    select
        {%- for column in columns %}
        {%- if column.name in value_checked %}
        case when {{ column.name }}__issue is null then {{ column.name }}__value end as {{ column.name }},
        {{ column.name }}__issue,
        {%- else %}
        {{ column.name }}__value as {{ column.name }},
        {%- endif %}
        {%- endfor %}
        {%- if key | length == 1 %}
        {{ key[0] }}__text as dq_record_key,
        {%- else %}
        concat({{ key | join("__text, '|', ") }}__text) as dq_record_key,
        {%- endif %}
        case
            when dq_check_rule is not null then dq_check_rule
            {%- if version_column %}
            when dq_version_rank > 1 and (
                {{ version_column }}__value = dq_latest_version
                or ({{ version_column }}__value is null and dq_latest_version is null)
            ) then 'duplicate_delivery'
            {%- else %}
            when dq_version_rank > 1 then 'duplicate_delivery'
            {%- endif %}
        end as dq_row_rule,
        case
            when dq_check_rule is not null then 'quarantined'
            when dq_version_rank = 1 then 'clean'
            {%- if version_column %}
            when {{ version_column }}__value = dq_latest_version then 'quarantined'
            when {{ version_column }}__value is null and dq_latest_version is null then 'quarantined'
            {%- else %}
            when dq_version_rank > 1 then 'quarantined'
            {%- endif %}
            else 'superseded'
        end as dq_status,
        dq_raw_values,
        {{ customer_segments.sha256_hex("concat(dq_row_hash, '#', cast(dq_copy_number as " ~ dbt.type_string() ~ "))") }} as dq_row_id
    from (
        select * from ranked_copies
        union all
        select * from rejected
    ) as all_rows
)

select * from final
{%- endif -%}
{%- endmacro %}

