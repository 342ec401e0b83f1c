{#- Customers who asked for erasure: they are removed from every output. Any erasure request
    counts (a later consent request does not undo it), and so does an erasure request that data
    quality kept out of staging (a missing request_id, an unparsable or future timestamp, ...)
    whenever its crm_id or e-mail identifies someone: an erasure is honoured, never quarantined
    away. int_records_resolved leaves them out of every live model; the post-hook purges them
    from every state table (purge_erased_state), before any reader of state is built. -#}
{{ config(post_hook="{{ customer_segments.purge_erased_state(this) }}") }}

with

keyed as (
    select * from {{ ref('int_records_keyed') }}
),

identifiers as (
    select * from {{ ref('int_identifiers_guarded') }}
),

privacy_requests as (
    select * from {{ ref('stg_privacy__requests') }}
),

quarantined_erasures as (
    select * from {{ ref('base_raw__privacy_requests') }}
    where
        dq_status = 'quarantined'
        and request_type = 'erasure'
),

clean_erasures as (
    select
        keyed.customer_id,
        privacy_requests.requested_at
    from privacy_requests
    inner join keyed
        on
            keyed.source = 'privacy_requests'
            and privacy_requests.request_id = keyed.record_key
    where privacy_requests.request_type = 'erasure'
),

quarantined_identifiers as (
    select
        'crm_id' as identifier_type,
        crm_id as identifier_value,
        requested_at
    from quarantined_erasures
    where crm_id is not null
    union all
    select
        'email' as identifier_type,
        email as identifier_value,
        requested_at
    from quarantined_erasures
    where email is not null
),

quarantined_matches as (
    select
        keyed.customer_id,
        quarantined_identifiers.requested_at
    from quarantined_identifiers
    inner join identifiers
        on
            quarantined_identifiers.identifier_type = identifiers.identifier_type
            and quarantined_identifiers.identifier_value = identifiers.identifier_value
    inner join keyed
        on
            identifiers.source = keyed.source
            and identifiers.record_key = keyed.record_key
),

all_erasures as (
    select
        customer_id,
        requested_at
    from clean_erasures
    union all
    select
        customer_id,
        requested_at
    from quarantined_matches
),

final as (
    select
        customer_id,
        max(requested_at) as erasure_requested_at
    from all_erasures
    group by customer_id
)

select * from final
