{% macro guard_current_marts() -%}
    {#- Run-start guard of a backfill: a build whose as_of_date is before the latest date of the
        run log (state_segment_membership_runs) and that selects a model tagged `current` would
        replace the current tables and audiences with past ones, so it stops, naming them and
        the backfill selector (selectors.yml), which writes history only. -#}
    {%- if not execute or not var('as_of_date') -%}
        {{ return('') }}
    {%- endif -%}
    {%- set as_of_date = var('as_of_date') | string -%}
    {%- set current = [] -%}
    {%- for unique_id in selected_resources if unique_id in graph.nodes -%}
        {%- set node = graph.nodes[unique_id] -%}
        {%- if node.resource_type == 'model' and 'current' in node.tags -%}
            {%- do current.append(node.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not current -%}
        {{ return('') }}
    {%- endif -%}
    {%- set run_log = customer_segments.hook_model_relation('state_segment_membership_runs') -%}
    {%- if run_log is none -%}
        {{ return('') }}
    {%- endif -%}
    {%- set latest = run_query('select cast(max(as_of_date) as string) from ' ~ run_log).columns[0].values()[0] -%}
    {%- if latest is not none and latest > as_of_date -%}
        {{ exceptions.raise_compiler_error(
            "as_of_date " ~ as_of_date ~ " is before the latest run (" ~ latest ~ "): building "
            ~ (current | sort | join(', '))
            ~ " would replace the current tables and audiences with past ones. A backfill writes "
            ~ "history only: dbt build --selector backfill --vars '{as_of_date: " ~ as_of_date ~ "}'"
        ) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
