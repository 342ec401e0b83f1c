{#- Per landing source: rows received (parsed rows and unparsable lines) = clean rows +
    quarantined rows (unparsable lines included) + superseded versions. -#}
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

unreadable as (
    select
        source,
        count(*) as unreadable_lines
    from {{ ref('base_landing__rejected_lines') }}
    group by source
),

final as (
    select
        unioned.source,
        cast(unioned.raw_rows + coalesce(unreadable.unreadable_lines, 0) as {{ dbt.type_bigint() }})
            as raw_rows,
        cast(coalesce(unioned.clean_rows, 0) as {{ dbt.type_bigint() }}) as clean_rows,
        cast(
            coalesce(unioned.quarantined_rows, 0) + coalesce(unreadable.unreadable_lines, 0)
            as {{ dbt.type_bigint() }}
        ) as quarantined_rows,
        cast(coalesce(unioned.superseded_rows, 0) as {{ dbt.type_bigint() }}) as superseded_rows,
        cast(coalesce(unreadable.unreadable_lines, 0) as {{ dbt.type_bigint() }})
            as unreadable_lines,
        unioned.raw_rows + coalesce(unreadable.unreadable_lines, 0) > 0 as is_delivered
    from unioned
    left join unreadable
        on unioned.source = unreadable.source
)

select * from final
