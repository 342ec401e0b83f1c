{% test unique_latest_write(model, column_name, written_at) %}
{#- The values of column_name that occur more than once, among the values the model's latest
    write holds (its rows whose `written_at` is the latest): an incremental model appends rows
    and deletes others, it never changes a held row, so a new duplicate always involves a row
    of the latest write, and the earlier rows were checked by the runs that wrote them. A full
    refresh, the var test_every_run, and a model without incremental rows check every value. -#}
{%- set scoped = not flags.FULL_REFRESH and not var('test_every_run', false) %}
select
    {{ column_name }} as duplicated_value,
    count(*) as duplicate_rows
from {{ model }}
where
    {{ column_name }} is not null
    {%- if scoped %}
        and {{ column_name }} in ({{ customer_segments.latest_write_keys(model, [column_name], written_at) }})
    {%- endif %}
group by {{ column_name }}
having count(*) > 1
{% endtest %}
