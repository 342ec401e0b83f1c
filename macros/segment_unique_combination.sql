{% test segment_unique_combination(model, columns, run_date_column=none) -%}
    {#- Rows whose combination of `columns` is not unique (a combination primary key). With
        run_date_column (a key column holding a run's as_of_date) only the rows of the runs
        from this run's as_of_date (int_as_of_date) on: a run writes those and leaves the
        earlier runs' rows, which the runs that wrote them checked. A full refresh, and the
        var test_every_run, check every row. -#}
    {%- set run_dates = ref('int_as_of_date') if run_date_column is not none else none -%}
    {%- set scoped = run_dates is not none and not flags.FULL_REFRESH and not var('test_every_run', false) -%}
    select
        {{ columns | join(', ') }},
        count(*) as duplicate_rows
    from {{ model }}
    {%- if scoped %}
        where {{ run_date_column }} >= (select max(run_dates.as_of_date) from {{ run_dates }} as run_dates)
    {%- endif %}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{%- endtest %}
