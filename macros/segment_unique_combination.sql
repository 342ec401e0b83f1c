{% test segment_unique_combination(model, columns) -%}
    {#- Rows whose combination of `columns` is not unique (a combination primary key). -#}
    select
        {{ columns | join(', ') }},
        count(*) as duplicate_rows
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{%- endtest %}
