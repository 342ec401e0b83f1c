{{ config(**changed_rows_config('records')) }}
{{ identity_records_depends_on() }}
{#- The identity map other models join through: one row per (source, record_key) with its
    customer_id. Keys as in the sources (orders: order_id, web_events: anonymous_id, ...).
    Anonymous sales and erased customers have no row: this is where erasure is applied to
    every live model (on DuckDB the erasure purge deletes a newly erased customer's rows:
    meta erasure_purge). On DuckDB incremental: a run derives again the records
    int_records_keyed wrote after the model's latest computed_at. -#}
{%- set since = latest_written_at('computed_at') %}
with

keyed as (
    select * from {{ ref('int_records_keyed') }}
    where {{ identity_written_after(since) }}
),

erased as (
    select * from {{ ref('int_customers_erased') }}
),

final as (
    select
        {{ dbt.concat(['keyed.source', "':'", 'keyed.record_key']) }} as record_id,
        keyed.source,
        keyed.record_key,
        keyed.customer_id,
        keyed.is_from_oversize_cluster,
        keyed.unsplit_cluster_anchor,
        keyed.first_seen_at,
        keyed.last_seen_at,
        {{ raw_run_time() }} as computed_at
    from keyed
    left join erased
        on keyed.customer_id = erased.customer_id
    where erased.customer_id is null
)

select * from final
