{{ config(**changed_rows_config('records')) }}
{{ identity_records_depends_on() }}
-- depends_on: {{ ref('state_customer_keys') }}
{#- Every identifier seen on every resolved record, with the customer it belongs to and
    whether it linked records (is_linking) or was held back by a guard; marts.customer_identifiers
    is a view of it (which masks PII when the var mask_pii is on). Erased customers are not here (the erasure purge deletes their rows:
    meta erasure_purge). On DuckDB
    incremental: a run derives again the records int_identifiers_guarded wrote after the
    model's latest computed_at and the records the key registry assigned since
    (identity_records_rekeyed_or_written_after). -#}
{%- set since = latest_written_at('computed_at') %}
{%- set edge_id = dbt.concat([
    identity_record_node_id('identifiers.source', 'identifiers.record_key'),
    "'>'",
    identity_identifier_node_id('identifiers.identifier_type', 'identifiers.identifier_value'),
]) %}

with

identifiers as (
    select * from {{ ref('int_identifiers_guarded') }}
    where {{ identity_records_rekeyed_or_written_after(since) }}
),

resolved as (
    select * from {{ ref('int_records_resolved') }}
),

final as (
    select
        {{ edge_id }} as customer_identifier_id,
        resolved.customer_id,
        identifiers.identifier_type,
        identifiers.identifier_value,
        identifiers.source,
        identifiers.record_key,
        identifiers.is_linking,
        identifiers.is_blocklisted,
        identifiers.is_over_record_limit,
        identifiers.is_overshared,
        cast(identifiers.evidence_count as {{ dbt.type_int() }}) as evidence_count,
        identifiers.first_seen_at,
        identifiers.last_seen_at,
        {{ raw_run_time() }} as computed_at
    from identifiers
    inner join resolved
        on
            identifiers.source = resolved.source
            and identifiers.record_key = resolved.record_key
)

select * from final
