{#- Landing lines that could not be parsed, one row per line: quarantined whole (rule
    malformed_line, invalid_encoding or line_too_long) with their file and line number. The raw
    text is dropped when var mask_pii is on (it cannot be masked column by column). Kept from
    run to run like the base_checked models (incremental, append): a run appends the lines of
    the files this table does not hold yet. -#}
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail') }}
{%- set relation = source('landing', 'landing_rejected_lines') -%}
{%- set existing = none -%}
{%- if execute -%}
    {%- set existing = adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier
    ) -%}
{%- endif %}

with

rejected as (
    {% if existing is not none -%}
        select
            source,
            file_name,
            line_number,
            rule,
            column_name,
            raw_line,
            error_message
        from {{ relation }}
        {%- if is_incremental() %}
            where file_name not in (
                select taken.file_name from {{ this }} as taken where taken.file_name is not null
            )
        {%- endif %}
    {%- else -%}
        select
            cast(null as {{ dbt.type_string() }}) as source,
            cast(null as {{ dbt.type_string() }}) as file_name,
            cast(null as {{ dbt.type_bigint() }}) as line_number,
            cast(null as {{ dbt.type_string() }}) as rule,
            cast(null as {{ dbt.type_string() }}) as column_name,
            cast(null as {{ dbt.type_string() }}) as raw_line,
            cast(null as {{ dbt.type_string() }}) as error_message
        from (select 1 as no_rows) as absent
        where 1 = 0
    {%- endif %}
),

final as (
    select
        {#- Spark gives no line number: the line's text keeps the id unique there #}
        {{ sha256_hex(
            "concat(source, '|', coalesce(file_name, ''), '|', coalesce(cast(line_number as "
            ~ dbt.type_string() ~ "), ''), '|', coalesce(raw_line, ''))"
        ) }} as dq_row_id,
        cast(source as {{ dbt.type_string() }}) as source,
        cast(file_name as {{ dbt.type_string() }}) as file_name,
        cast(line_number as {{ dbt.type_bigint() }}) as line_number,
        cast(rule as {{ dbt.type_string() }}) as rule,
        cast(column_name as {{ dbt.type_string() }}) as column_name,
        {% if var('mask_pii') -%}
            cast(null as {{ dbt.type_string() }})
        {%- else -%}
            cast(raw_line as {{ dbt.type_string() }})
        {%- endif %} as raw_line,
        cast(error_message as {{ dbt.type_string() }}) as error_message
    from rejected
)

select * from final
