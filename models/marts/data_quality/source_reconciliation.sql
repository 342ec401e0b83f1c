{#- Per landing source: rows received = clean rows + quarantined rows + superseded versions. -#}
with

unioned as (
    {% for source_name in landing_sources() -%}
        select
            '{{ source_name }}' as source,
            count(*) as raw_rows,
            sum(case when dq_status = 'clean' then 1 else 0 end) as clean_rows,
            sum(case when dq_status = 'quarantined' then 1 else 0 end) as quarantined_rows,
            sum(case when dq_status = 'superseded' then 1 else 0 end) as superseded_rows
        from {{ ref('base_raw__' ~ source_name) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        source,
        cast(raw_rows as {{ dbt.type_bigint() }}) as raw_rows,
        cast(coalesce(clean_rows, 0) as {{ dbt.type_bigint() }}) as clean_rows,
        cast(coalesce(quarantined_rows, 0) as {{ dbt.type_bigint() }}) as quarantined_rows,
        cast(coalesce(superseded_rows, 0) as {{ dbt.type_bigint() }}) as superseded_rows,
        raw_rows > 0 as is_delivered
    from unioned
)

select * from final
