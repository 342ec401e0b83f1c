{#- The delivery ledger: every landing file a run processed, kept from run to run (incremental,
    append). A run appends the files it found that no earlier run took; a file that changed
    after it was taken stops the run at its start (macro landing_changed_files); --full-refresh
    rebuilds the ledger from the landing zone as it is now. -#}
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='append_new_columns') }}
{#- after every model that takes landing rows: a run whose base model failed records nothing -#}
{%- for source_name in landing_sources() %}
-- depends_on: {{ ref('base_checked__' ~ source_name) }}
{%- endfor %}
-- depends_on: {{ ref('base_landing__rejected_lines') }}

with

listed as (
    select * from {{ ref('base_landing__files') }}
),

final as (
    select
        listed.file_path,
        listed.source,
        listed.file_size,
        listed.content_sha256,
        listed.rows_read,
        listed.lines_rejected,
        cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as processed_by_run,
        {{ customer_segments.raw_run_time() }} as processed_at
    from listed
    {%- if is_incremental() %}
        where listed.file_path not in (select taken.file_path from {{ this }} as taken)
    {%- endif %}
)

select * from final
