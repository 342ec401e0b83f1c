{% macro segment_run_log_config() -%}
    {#- Config of the append-only run logs keyed by as_of_date: a run replaces the rows of its
        own as_of_date and keeps every other date (idempotent re-runs, reproducible backfills).
        Spark: insert_overwrite of the as_of_date partition; other engines: delete+insert on
        as_of_date. full_refresh is off so that --full-refresh never wipes the history. -#}
    {%- set spark_like = target.type in ('spark', 'databricks') -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'insert_overwrite' if spark_like else 'delete+insert',
        'unique_key': none if spark_like else 'as_of_date',
        'partition_by': ['as_of_date'] if spark_like else none,
        'on_schema_change': 'append_new_columns',
        'full_refresh': false,
    }) }}
{%- endmacro %}
