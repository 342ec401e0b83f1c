{% macro raw_versions_config(key) -%}
    {#- The config of a base_raw__<source> model: on DuckDB incremental (append, then the
        post-hook raw_versions_prune), elsewhere a table. -#}
    {{ return(adapter.dispatch('raw_versions_config', 'customer_segments')(key)) }}
{%- endmacro %}


{% macro default__raw_versions_config(key) -%}
    {#- Spark without Delta has no delete: the model stays a table, ranked over every row. -#}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}


{% macro duckdb__raw_versions_config(key) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'fail',
        'post_hook': ["{{ customer_segments.raw_versions_prune(" ~ (key | tojson) ~ ") }}"],
    }) }}
{%- endmacro %}


{% macro raw_versions_scope(checked, key) -%}
    {#- The rows of `checked` (a base_checked__<source> relation) that the run must rank: all of
        them, or in an incremental run those whose key or raw-row hash occurs in a file the
        model does not hold yet (every other row keeps its rank and status). -#}
    select * from {{ checked }}
    {%- if is_incremental() %}
        where
            ({{ key | join(', ') }}) in (
                select {{ key | join(', ') }} from {{ checked }}
                where dq_file_path not in (select held.dq_file_path from {{ this }} as held)
            )
            or dq_row_hash in (
                select dq_row_hash from {{ checked }}
                where dq_file_path not in (select held.dq_file_path from {{ this }} as held)
            )
    {%- endif %}
{%- endmacro %}


{% macro raw_versions_prune(key) -%}
    {#- Post-hook of an incremental base_raw__<source> model: delete the rows that earlier runs
        ranked for a key or raw-row hash this run ranked again. -#}
    {%- set ranked_now = "select {cols} from " ~ this ~ " where dq_ranked_by_run = '" ~ invocation_id ~ "'" -%}
    delete from {{ this }}
    where
        dq_ranked_by_run <> '{{ invocation_id }}'
        and (
            ({{ key | join(', ') }}) in ({{ ranked_now | replace('{cols}', key | join(', ')) }})
            or dq_row_hash in ({{ ranked_now | replace('{cols}', 'dq_row_hash') }})
        )
{%- endmacro %}
