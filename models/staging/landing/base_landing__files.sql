{#- The landing files this run start found, one row per file with its size, SHA-256 and the
    rows read from it (source landing.landing_files, written by the run-start load; see
    custseg/ledger.py). No rows when the listing is absent. -#}
{%- set relation = source('landing', 'landing_files') -%}
{%- set existing = none -%}
{%- if execute -%}
    {%- set existing = adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier
    ) -%}
{%- endif %}

with

listed as (
    {% if existing is not none -%}
        select
            source,
            file_path,
            file_size,
            content_sha256,
            rows_read,
            lines_rejected
        from {{ relation }}
    {%- else -%}
        select
            cast(null as {{ dbt.type_string() }}) as source,
            cast(null as {{ dbt.type_string() }}) as file_path,
            cast(null as {{ dbt.type_bigint() }}) as file_size,
            cast(null as {{ dbt.type_string() }}) as content_sha256,
            cast(null as {{ dbt.type_bigint() }}) as rows_read,
            cast(null as {{ dbt.type_bigint() }}) as lines_rejected
        from (select 1 as no_rows) as absent
        where 1 = 0
    {%- endif %}
),

final as (
    select
        cast(file_path as {{ dbt.type_string() }}) as file_path,
        cast(source as {{ dbt.type_string() }}) as source,
        cast(file_size as {{ dbt.type_bigint() }}) as file_size,
        cast(content_sha256 as {{ dbt.type_string() }}) as content_sha256,
        cast(coalesce(rows_read, 0) as {{ dbt.type_bigint() }}) as rows_read,
        cast(coalesce(lines_rejected, 0) as {{ dbt.type_bigint() }}) as lines_rejected
    from listed
)

select * from final
