{#- Every bad input, one row per problem: whole rows rejected by a row rule, and single values
    nulled by a value rule (the row itself stays clean). -#}
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
            cast(null as {{ dbt.type_string() }}) as column_name,
            true as is_row_rejected,
            dq_raw_values as raw_values,
            dq_row_id
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
            dq_row_id
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
            dq_row_id
        from rejected_rows
        where 1 = 0
    {% endfor %}
),

all_problems as (
    select * from rejected_rows
    union all
    select * from nulled_values
),

final as (
    select
        {{ sha256_hex("concat(dq_row_id, '|', rule, '|', coalesce(column_name, ''))") }} as quarantine_id,
        source,
        record_key,
        rule,
        column_name,
        is_row_rejected,
        raw_values,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }}) as detected_at
    from all_problems
)

select * from final
