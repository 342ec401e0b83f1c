{% macro identity_changes_config() -%}
    {#- The config of int_customer_changes: on DuckDB incremental (append), elsewhere a view
        (every customer counts as changed: the models that read it are tables there). -#}
    {{ return(adapter.dispatch('identity_changes_config', 'customer_segments')()) }}
{%- endmacro %}


{% macro default__identity_changes_config() -%}
    {{ return({'materialized': 'view'}) }}
{%- endmacro %}


{% macro duckdb__identity_changes_config() -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'fail',
    }) }}
{%- endmacro %}


{% macro changed_rows_config(kind) -%}
    {#- The config of a model that derives again only what changed since its last run
        (survivorship, the golden record, the grouped web events): on DuckDB incremental
        (append, then the post-hook changed_rows_prune(kind)), elsewhere a table. -#}
    {{ return(adapter.dispatch('changed_rows_config', 'customer_segments')(kind)) }}
{%- endmacro %}


{% macro default__changed_rows_config(kind) -%}
    {#- Spark without Delta has no delete: the model stays a table, derived from every row. -#}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}


{% macro duckdb__changed_rows_config(kind) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'fail',
        'post_hook': ["{{ customer_segments.changed_rows_prune(" ~ (kind | tojson) ~ ") }}"],
    }) }}
{%- endmacro %}


{% macro latest_written_at(column, before_this_run=false) -%}
    {#- In an incremental run: the latest `column` (a timestamp) the model holds, as a
        timestamp literal; none outside an incremental run or when the model is empty.
        before_this_run: ignore the rows this run wrote (for a post-hook). -#}
    {%- if not execute or this is none or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set query -%}
        select cast(max({{ column }}) as {{ dbt.type_string() }}) from {{ this }}
        {%- if before_this_run %} where {{ column }} < {{ customer_segments.raw_run_time() }}{% endif %}
    {%- endset -%}
    {%- set latest = run_query(query).columns[0].values()[0] -%}
    {%- if latest is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return("cast('" ~ latest ~ "' as timestamp)") }}
{%- endmacro %}


{% macro identity_changed_customers(since) -%}
    {#- The customers int_customer_changes logged after `since` (a timestamp literal). -#}
    select changes.customer_id
    from {{ ref('int_customer_changes') }} as changes
    where changes.changed_at > {{ since }}
{%- endmacro %}


{% macro changed_rows_prune(kind) -%}
    {#- Post-hook of a model of changed_rows_config on DuckDB: deletes the rows earlier runs
        wrote (computed_at before this run) that this run derived again, so each key is held
        once. kind `customers`: the customers int_customer_changes logged after the model's
        previous run; `web_days`: the devices and days whose web event rows base_raw ranked
        after it (web_state_touched). -#}
    {%- set since = customer_segments.latest_written_at('computed_at', before_this_run=true) -%}
    {%- if since is none -%}
        select 1 as nothing_to_prune
    {%- else -%}
        delete from {{ this }}
        where
            computed_at < {{ customer_segments.raw_run_time() }}
            {%- if kind == 'customers' %}
                and customer_id in ({{ customer_segments.identity_changed_customers(since) }})
            {%- elif kind == 'web_days' %}
                and (anonymous_id, event_date) in ({{ customer_segments.web_state_touched(since) }})
            {%- else %}
                {{ exceptions.raise_compiler_error('changed_rows_prune: unknown kind ' ~ kind) }}
            {%- endif %}
    {%- endif %}
{%- endmacro %}
