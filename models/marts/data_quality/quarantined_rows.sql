{#- Every bad input, one row per problem: whole rows rejected by a row rule, and single values
    nulled by a value rule (the row itself stays clean). -#}
{%- set sources = landing_sources().keys() | list -%}

with

{% for source_name in sources -%}
{{ source_name }}_checked as (
    select * from {{ ref('base_raw__' ~ source_name) }}
),

{% endfor -%}

rejected_rows as (
    {%- for source_name in sources %}
    select
        '{{ source_name }}' as source,
        dq_record_key as record_key,
        dq_row_rule as rule,
        cast(null as {{ dbt.type_string() }}) as column_name,
        true as is_row_rejected,
        dq_raw_values as raw_values,
        dq_row_id
    from {{ source_name }}_checked
    where dq_status = 'quarantined'
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

nulled_values as (
    {%- set parts = [] -%}
    {%- for source_name in sources -%}
        {%- if execute -%}
            {%- for column in adapter.get_columns_in_relation(ref('base_raw__' ~ source_name)) if column.name.endswith('__issue') -%}
                {%- do parts.append((source_name, column.name[:-7])) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor %}
    {%- for source_name, column_name in parts %}
    select
        '{{ source_name }}' as source,
        dq_record_key as record_key,
        {{ column_name }}__issue as rule,
        '{{ column_name }}' as column_name,
        false as is_row_rejected,
        dq_raw_values as raw_values,
        dq_row_id
    from {{ source_name }}_checked
    where dq_status <> 'quarantined' and {{ column_name }}__issue is not null
    {{ 'union all' if not loop.last }}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as source,
        cast(null as {{ dbt.type_string() }}) as record_key,
        cast(null as {{ dbt.type_string() }}) as rule,
        cast(null as {{ dbt.type_string() }}) as column_name,
        false as is_row_rejected,
        cast(null as {{ dbt.type_string() }}) as raw_values,
        cast(null as {{ dbt.type_string() }}) as dq_row_id
    from (select 1 as no_rows) as nothing
    where 1 = 0
    {%- endfor %}
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
