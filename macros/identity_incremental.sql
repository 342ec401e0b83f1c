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


{% macro identity_customers_config() -%}
    {#- The config of a model keyed by customer that derives only the changed customers
        (int_customer_attributes_survived, int_customers_golden): on DuckDB incremental
        (append, then the post-hook identity_customers_prune), elsewhere a table. -#}
    {{ return(adapter.dispatch('identity_customers_config', 'customer_segments')()) }}
{%- endmacro %}


{% macro default__identity_customers_config() -%}
    {#- Spark without Delta has no delete: the model stays a table, derived for every customer. -#}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}


{% macro duckdb__identity_customers_config() -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'fail',
        'post_hook': ["{{ customer_segments.identity_customers_prune() }}"],
    }) }}
{%- endmacro %}


{% macro identity_changed_since(column, before_this_run=false) -%}
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


{% macro identity_customers_prune() -%}
    {#- Post-hook of an incremental model keyed by customer on DuckDB: deletes the rows earlier
        runs wrote for the customers this run derived again (those int_customer_changes
        logged after the model's previous run), so each customer is held once. -#}
    {%- set since = customer_segments.identity_changed_since('computed_at', before_this_run=true) -%}
    {%- if since is none -%}
        select 1 as nothing_to_prune
    {%- else -%}
        delete from {{ this }}
        where
            computed_at < {{ customer_segments.raw_run_time() }}
            and customer_id in ({{ customer_segments.identity_changed_customers(since) }})
    {%- endif %}
{%- endmacro %}
