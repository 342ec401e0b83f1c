{% macro segment_history_config(unique_key, covered, one_run=false) -%}
    {#- The config of a model derived from the run logs (int_segment_spells, segment_events,
        segment_transitions): on DuckDB incremental, elsewhere a table. -#}
    {{ return(adapter.dispatch('segment_history_config', 'customer_segments')(unique_key, covered, one_run)) }}
{%- endmacro %}


{% macro default__segment_history_config(unique_key, covered, one_run=false) -%}
    {#- Spark without Delta has no delete: the mart stays a table, derived from every run. -#}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}


{% macro duckdb__segment_history_config(unique_key, covered, one_run=false) -%}
    {#- Incremental unless var segment_history_incremental is false. -#}
    {%- if not var('segment_history_incremental', true) -%}
        {{ return({'materialized': 'table'}) }}
    {%- endif -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': unique_key,
        'on_schema_change': 'append_new_columns',
        'pre_hook': ["{{ customer_segments.segment_history_reset(" ~ (covered | tojson) ~ ", " ~ (one_run | tojson) ~ ") }}"],
    }) }}
{%- endmacro %}


{% macro segment_history_since(covered, one_run=false) -%}
    {#- In an incremental run of a mart derived from the run logs, the date after which it must
        derive the runs again, the earlier ones kept (`covered`, an aggregate over the mart,
        gives the last run date it holds); none when the mart must be derived again from every
        run (first build, a mart emptied by the erasure purge, a run whose date is not after
        what the mart holds: a backfill or a repeated date).
        `one_run`: the mart can add one run only (segment_membership_history updates its
        current spells), so the run must be the run log's latest and follow what it holds. -#}
    {%- set runs = customer_segments.segment_history_runs(covered) -%}
    {%- if runs.covered is none or runs.run_date is none or runs.run_date <= runs.covered -%}
        {{ return(none) }}
    {%- elif one_run and (runs.run_date != runs.latest or runs.previous != runs.covered) -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(runs.covered) }}
{%- endmacro %}


{% macro segment_history_runs(covered) -%}
    {#- The dates, as text, that segment_history_since compares: run_date (this run's
        int_as_of_date), latest and previous (the run log's last two runs) and covered (the
        last run the mart holds). All none outside an incremental run. -#}
    {%- set runs = {'run_date': none, 'latest': none, 'previous': none, 'covered': none} -%}
    {%- if not execute or this is none or not is_incremental() -%}
        {{ return(runs) }}
    {%- endif -%}
    {%- set query -%}
        with run_dates as (
            select distinct as_of_date from {{ ref('state_segment_attribute_snapshots') }}
        ),

        latest as (
            select max(as_of_date) as as_of_date from run_dates
        )

        select
            cast((select max(as_of_date) from {{ ref('int_as_of_date') }}) as varchar),
            cast((select latest.as_of_date from latest) as varchar),
            cast((
                select max(run_dates.as_of_date) from run_dates
                where run_dates.as_of_date < (select latest.as_of_date from latest)
            ) as varchar),
            cast((select {{ covered }} from {{ this }}) as varchar)
    {%- endset -%}
    {%- set row = run_query(query).rows[0] -%}
    {%- do runs.update({'run_date': row[0], 'latest': row[1], 'previous': row[2], 'covered': row[3]}) -%}
    {{ return(runs) }}
{%- endmacro %}


{% macro segment_history_reset(covered, one_run=false) -%}
    {#- Pre-hook of an incremental mart derived from the run logs: empties the mart when it
        must be derived again from every run (segment_history_since is none), and logs which of
        the two the run does. -#}
    {%- if not execute or this is none or not is_incremental() -%}
        select 1 as segment_history_kept
    {%- else -%}
        {%- set since = customer_segments.segment_history_since(covered, one_run) -%}
        {%- if since is not none -%}
            {%- do log(this.identifier ~ ": derives the runs after " ~ since ~ ", keeps the earlier ones", info=true) -%}
            select 1 as segment_history_kept
        {%- else -%}
            {%- set runs = customer_segments.segment_history_runs(covered) -%}
            {%- do log(
                this.identifier ~ ": derived again from every run (it holds the runs up to "
                ~ (runs.covered or 'none') ~ "; this run is of " ~ runs.run_date ~ ")", info=true
            ) -%}
            delete from {{ this }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
