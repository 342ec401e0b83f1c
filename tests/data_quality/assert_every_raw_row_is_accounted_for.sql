{#- For every landing source, rows received over every delivery (the rows the delivery ledger
    counted in each file when a run read it, plus the lines its reader could not parse) must
    equal clean rows in its staging model + rows rejected into quarantined_rows + superseded
    versions. -#}
with

{% for source_name, staging_model in landing_sources().items() -%}
{{ source_name }}_accounting as (
    select
        '{{ source_name }}' as source,
        (
            select coalesce(sum(rows_read), 0) from {{ ref('delivery_ledger') }}
            where source = '{{ source_name }}'
        )
        + (
            select count(*) from {{ ref('base_landing__rejected_lines') }}
            where source = '{{ source_name }}'
        ) as raw_rows,
        (select count(*) from {{ ref(staging_model) }}) as clean_rows,
        (
            select count(*) from {{ ref('quarantined_rows') }}
            where source = '{{ source_name }}' and is_row_rejected
        ) as quarantined_rows,
        (
            select count(*) from {{ ref('base_raw__' ~ source_name) }}
            where dq_status = 'superseded'
        ) as superseded_rows
),

{% endfor -%}

unioned as (
    {%- for source_name in landing_sources() %}
    select * from {{ source_name }}_accounting
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select *
from unioned
where raw_rows <> clean_rows + quarantined_rows + superseded_rows
