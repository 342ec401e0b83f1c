{#- Customers whose latest privacy request is an erasure: they are removed from every
    identity output. Other models anti-join on customer_id. -#}
with

keyed as (
    select * from {{ ref('int_records_keyed') }}
),

privacy_requests as (
    select * from {{ ref('stg_privacy__requests') }}
),

customer_requests as (
    select
        keyed.customer_id,
        privacy_requests.request_id,
        privacy_requests.request_type,
        privacy_requests.requested_at,
        row_number() over (
            partition by keyed.customer_id
            order by privacy_requests.requested_at desc, privacy_requests.request_id desc
        ) as recency_rank
    from privacy_requests
    inner join keyed
        on
            keyed.source = 'privacy_requests'
            and privacy_requests.request_id = keyed.record_key
),

final as (
    select
        customer_id,
        requested_at as erasure_requested_at
    from customer_requests
    where
        recency_rank = 1
        and request_type = 'erasure'
)

select * from final
