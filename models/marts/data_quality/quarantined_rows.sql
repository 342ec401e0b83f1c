{#- Every bad input, one row per problem: whole rows rejected by a row rule, landing lines that
    could not be parsed, and single values nulled by a value rule (the row itself stays clean). The raw values of rows that belong to
    an erased customer (one of their identifiers or records), and of erasure requests, are not
    kept. -#}
{%- set value_checks = [] -%}
{%- if execute -%}
    {%- for source_name in landing_sources() -%}
        {%- set columns = adapter.get_columns_in_relation(ref('base_raw__' ~ source_name)) -%}
        {%- for column in columns if column.name.endswith('__issue') -%}
            {%- do value_checks.append((source_name, column.name[:-7])) -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endif -%}

with

rejected_rows as (
    {% for source_name in landing_sources() -%}
        select
            '{{ source_name }}' as source,
            dq_record_key as record_key,
            dq_row_rule as rule,
            dq_row_column as column_name,
            true as is_row_rejected,
            dq_raw_values as raw_values,
            dq_row_id,
            cast(null as {{ dbt.type_string() }}) as file_name,
            cast(null as {{ dbt.type_bigint() }}) as line_number,
            cast(null as {{ dbt.type_string() }}) as raw_line
        from {{ ref('base_raw__' ~ source_name) }}
        where dq_status = 'quarantined'
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

nulled_values as (
    {% for source_name, column_name in value_checks -%}
        select
            '{{ source_name }}' as source,
            dq_record_key as record_key,
            {{ column_name }}__issue as rule,
            '{{ column_name }}' as column_name,
            false as is_row_rejected,
            dq_raw_values as raw_values,
            dq_row_id,
            cast(null as {{ dbt.type_string() }}) as file_name,
            cast(null as {{ dbt.type_bigint() }}) as line_number,
            cast(null as {{ dbt.type_string() }}) as raw_line
        from {{ ref('base_raw__' ~ source_name) }}
        where dq_status <> 'quarantined' and {{ column_name }}__issue is not null
        {% if not loop.last %}union all{% endif %}
    {% else -%}
        select
            source,
            record_key,
            rule,
            column_name,
            is_row_rejected,
            raw_values,
            dq_row_id,
            file_name,
            line_number,
            raw_line
        from rejected_rows
        where 1 = 0
    {% endfor %}
),

unreadable_lines as (
    {#- Landing lines the CSV reader could not parse: quarantined whole, with file and line. -#}
    select
        source,
        cast(null as {{ dbt.type_string() }}) as record_key,
        rule,
        column_name,
        true as is_row_rejected,
        cast(null as {{ dbt.type_string() }}) as raw_values,
        dq_row_id,
        file_name,
        line_number,
        raw_line
    from {{ ref('base_landing__rejected_lines') }}
),

all_problems as (
    select * from rejected_rows
    union all
    select * from nulled_values
    union all
    select * from unreadable_lines
),

erased_customers as (
    select * from {{ ref('int_customers_erased') }}
),

keyed as (
    select * from {{ ref('int_records_keyed') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_guarded') }}
),

erased_records as (
    select
        keyed.source,
        keyed.record_key
    from keyed
    inner join erased_customers
        on keyed.customer_id = erased_customers.customer_id
),

erased_identifiers as (
    select
        identifiers.identifier_type,
        identifiers.identifier_value
    from identifiers
    inner join erased_records
        on
            identifiers.source = erased_records.source
            and identifiers.record_key = erased_records.record_key
    group by
        identifiers.identifier_type,
        identifiers.identifier_value
),

problem_rows as (
    select
        source,
        dq_row_id
    from all_problems
    group by
        source,
        dq_row_id
),

row_identifiers as (
    {#- The rows of the identity sources that have a problem, with their record key and
        identifiers: only those rows' raw values are kept here. -#}
    {% for source_name, spec in identity_sources().items() -%}
        {% set source_loop = loop -%}
        {% for identifier_type, column in spec.identifiers.items() -%}
            select
                '{{ source_name }}' as source,
                dq_row_id,
                cast({{ spec.record_key }} as {{ dbt.type_string() }}) as record_key,
                '{{ identifier_type }}' as identifier_type,
                cast({{ column }} as {{ dbt.type_string() }}) as identifier_value
            from {{ ref('base_raw__' ~ source_name) }}
            where
                dq_row_id in (
                    select problem_rows.dq_row_id from problem_rows
                    where problem_rows.source = '{{ source_name }}'
                )
            {% if not (source_loop.last and loop.last) %}union all{% endif %}
        {% endfor %}
    {% endfor %}
),

erased_rows as (
    select
        row_identifiers.source,
        row_identifiers.dq_row_id
    from row_identifiers
    left join erased_records
        on
            row_identifiers.source = erased_records.source
            and row_identifiers.record_key = erased_records.record_key
    left join erased_identifiers
        on
            row_identifiers.identifier_type = erased_identifiers.identifier_type
            and row_identifiers.identifier_value = erased_identifiers.identifier_value
    where
        erased_records.record_key is not null
        or erased_identifiers.identifier_value is not null
    union all
    select
        'privacy_requests' as source,
        dq_row_id
    from {{ ref('base_raw__privacy_requests') }}
    where request_type = 'erasure'
    {#- An unreadable line that holds an erased identifier, and any unreadable privacy request
        (it may be an erasure). #}
    union all
    select
        unreadable_lines.source,
        unreadable_lines.dq_row_id
    from unreadable_lines
    inner join erased_identifiers
        on contains(lower(unreadable_lines.raw_line), lower(erased_identifiers.identifier_value))
    union all
    select
        source,
        dq_row_id
    from unreadable_lines
    where source = 'privacy_requests'
),

erased_row_ids as (
    select
        source,
        dq_row_id
    from erased_rows
    group by
        source,
        dq_row_id
),

final as (
    select
        {{ sha256_hex(
            "concat(all_problems.dq_row_id, '|', all_problems.rule, '|', "
            ~ "coalesce(all_problems.column_name, ''))"
        ) }} as quarantine_id,
        all_problems.source,
        all_problems.record_key,
        all_problems.rule,
        all_problems.column_name,
        all_problems.is_row_rejected,
        case when erased_row_ids.dq_row_id is null then all_problems.raw_values end as raw_values,
        all_problems.file_name,
        all_problems.line_number,
        case when erased_row_ids.dq_row_id is null then all_problems.raw_line end as raw_line,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }}) as detected_at
    from all_problems
    left join erased_row_ids
        on
            all_problems.source = erased_row_ids.source
            and all_problems.dq_row_id = erased_row_ids.dq_row_id
)

select * from final
