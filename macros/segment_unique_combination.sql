{% test segment_unique_combination(model, columns, run_date_column=none, written_at=none) -%}
    {#- Rows whose combination of `columns` is not unique (a combination primary key). With
        run_date_column (a key column holding a run's as_of_date) only the rows of the runs
        from this run's as_of_date (int_as_of_date) on: a run writes those and leaves the
        earlier runs' rows, which the runs that wrote them checked. With written_at (a column
        holding the run start that wrote the row, of a model that appends and deletes rows but
        never changes one) only the combinations the latest write holds, against every row.
        A full refresh, and the var test_every_run, check every row. -#}
    {%- set run_dates = ref('int_as_of_date') if run_date_column is not none else none -%}
    {%- set every_row = flags.FULL_REFRESH or var('test_every_run', false) -%}
    {%- set scoped = run_dates is not none and not every_row -%}
    {%- set latest_write = written_at is not none and not every_row -%}
    select
        {{ columns | join(', ') }},
        count(*) as duplicate_rows
    from {{ model }}
    {%- if scoped %}
        where {{ run_date_column }} >= (select max(run_dates.as_of_date) from {{ run_dates }} as run_dates)
    {%- elif latest_write %}
        where ({{ columns | join(', ') }}) in ({{ customer_segments.latest_write_keys(model, columns, written_at) }})
    {%- endif %}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{%- endtest %}


{% macro latest_write_keys(model, columns, written_at) -%}
    {#- The `columns` of the rows of `model` that its latest write holds (the rows whose
        `written_at` is the latest): what the latest-write key tests look up in every row. -#}
    select {% for column in columns %}latest.{{ column }}{% if not loop.last %}, {% endif %}{% endfor %}
    from {{ model }} as latest
    where latest.{{ written_at }} >= (select max(held.{{ written_at }}) from {{ model }} as held)
{%- endmacro %}
