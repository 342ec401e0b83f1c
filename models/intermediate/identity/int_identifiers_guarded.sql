{{ config(**changed_rows_config('records')) }}
{{ identity_records_depends_on() }}
{#- Graph node ids are not stored (identity_record_node_id and identity_identifier_node_id
    derive them where needed): long unique strings are the costliest columns to write.
    The identity graph's edges with the over-merge guards applied: an edge links
    (is_linking) only when its type is a link type, its value is not blocklisted, it is
    among the record's best-evidenced values of its type, and its value is not shared by
    more distinct crm_ids than the type allows.
    On DuckDB incremental: a run derives again the records of identity_guard_scope (those
    base_raw ranked after the model's latest computed_at, and the holders of every value whose
    crm_id count they may have changed); any other value keeps the crm_id count held. -#}
{%- set since = latest_written_at('computed_at') %}
with

identifiers as (
    select * from {{ ref('int_identifiers_unioned') }}
    {%- if since is not none %}
        where (source, record_key) in ({{ identity_guard_scope(since) }})
    {%- endif %}
),

identifier_values as (
    {#- Guards that depend on the value alone are evaluated once per distinct value. -#}
    select
        identifier_type,
        identifier_value,
        {{ identity_is_blocklisted('identifier_type', 'identifier_value') }} as is_blocklisted
    from identifiers
    group by
        identifier_type,
        identifier_value
),

flagged as (
    select
        identifiers.source,
        identifiers.record_key,
        identifiers.identifier_type,
        identifiers.identifier_value,
        identifiers.evidence_count,
        identifiers.first_seen_at,
        identifiers.last_seen_at,
        identifier_values.is_blocklisted,
        {{ identity_type_priority('identifiers.identifier_type') }} as identifier_priority,
        identifiers.identifier_type in (
            {% for link_type in var('identity_link_types') -%}
                '{{ link_type }}'{% if not loop.last %},{% endif %}
            {% endfor %}
        ) as is_link_type
    from identifiers
    inner join identifier_values
        on
            identifiers.identifier_type = identifier_values.identifier_type
            and identifiers.identifier_value = identifier_values.identifier_value
),

multi_valued as (
    {#- (record, type) pairs with several values: only these need ranking. -#}
    select
        source,
        record_key,
        identifier_type
    from flagged
    group by
        source,
        record_key,
        identifier_type
    having count(*) > 1
),

ranked_in_record as (
    select
        flagged.source,
        flagged.record_key,
        flagged.identifier_type,
        flagged.identifier_value,
        row_number() over (
            partition by flagged.source, flagged.record_key, flagged.identifier_type
            order by
                flagged.is_blocklisted asc,
                flagged.evidence_count desc,
                flagged.last_seen_at desc,
                flagged.identifier_value asc
        ) as value_rank_in_record
    from flagged
    inner join multi_valued
        on
            flagged.source = multi_valued.source
            and flagged.record_key = multi_valued.record_key
            and flagged.identifier_type = multi_valued.identifier_type
),

capped as (
    select
        flagged.*,
        coalesce(
            ranked_in_record.value_rank_in_record
            > {{ identity_type_limit('flagged.identifier_type', 'identity_max_values_per_record') }},
            false
        ) as is_over_record_limit
    from flagged
    left join ranked_in_record
        on
            flagged.source = ranked_in_record.source
            and flagged.record_key = ranked_in_record.record_key
            and flagged.identifier_type = ranked_in_record.identifier_type
            and flagged.identifier_value = ranked_in_record.identifier_value
),

record_crm_ids as (
    select
        source,
        record_key,
        identifier_value as crm_id
    from capped
    where
        identifier_type = 'crm_id'
        and is_link_type
        and not is_blocklisted
        and not is_over_record_limit
),

value_crm_id_counts as (
    select
        capped.identifier_type,
        capped.identifier_value,
        count(distinct record_crm_ids.crm_id) as crm_id_count
    from capped
    inner join record_crm_ids
        on
            capped.source = record_crm_ids.source
            and capped.record_key = record_crm_ids.record_key
    where
        not capped.is_blocklisted
        and not capped.is_over_record_limit
        and {{ identity_guard_is_recounted(since, 'capped') }}
    group by
        capped.identifier_type,
        capped.identifier_value
    {{ identity_guard_held_counts(since, 'capped') }}
),

final as (
    select
        capped.source,
        capped.record_key,
        capped.identifier_type,
        capped.identifier_value,
        capped.identifier_priority,
        capped.evidence_count,
        capped.first_seen_at,
        capped.last_seen_at,
        coalesce(value_crm_id_counts.crm_id_count, 0) as crm_id_count,
        capped.is_link_type,
        capped.is_blocklisted,
        capped.is_over_record_limit,
        coalesce(value_crm_id_counts.crm_id_count, 0)
        > {{ identity_type_limit('capped.identifier_type', 'identity_max_crm_ids_per_value') }}
            as is_overshared,
        (
            capped.is_link_type
            and not capped.is_blocklisted
            and not capped.is_over_record_limit
            and coalesce(value_crm_id_counts.crm_id_count, 0)
            <= {{ identity_type_limit('capped.identifier_type', 'identity_max_crm_ids_per_value') }}
        ) as is_linking,
        {{ raw_run_time() }} as computed_at
    from capped
    left join value_crm_id_counts
        on
            capped.identifier_type = value_crm_id_counts.identifier_type
            and capped.identifier_value = value_crm_id_counts.identifier_value
)

select * from final
