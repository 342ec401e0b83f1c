{#- No audience row for a person without current marketing consent, an erased person, or an
    email with an erasure request or a latest opt-out request in stg_privacy__requests. Consent
    and e-mail are read from the current table customer_attributes (a backfill leaves it; the
    attribute intermediates then hold the backfilled date). -#}
with

audiences as (
    select * from {{ ref('audience_members') }}
),

attributes as (
    select * from {{ ref('customer_attributes') }}
),

erased as (
    select * from {{ ref('int_customers_erased') }}
),

privacy_requests as (
    select * from {{ ref('stg_privacy__requests') }}
),

latest_requests as (
    select
        {{ customer_segments.normalize_email('email') }} as email,
        request_type,
        row_number() over (
            partition by {{ customer_segments.normalize_email('email') }}
            order by requested_at desc, request_id desc
        ) as recency_rank
    from privacy_requests
    where
        email is not null
        and request_type in ('marketing_opt_in', 'marketing_opt_out')
),

erasure_emails as (
    select {{ customer_segments.normalize_email('email') }} as email
    from privacy_requests
    where request_type = 'erasure'
),

violations as (
    select
        audiences.segment_key,
        audiences.customer_id,
        case
            when attributes.customer_id is null then 'not a current customer'
            when not coalesce(attributes.has_marketing_consent, false) then 'no marketing consent'
            when erased.customer_id is not null then 'erased'
            when erasure_emails.email is not null then 'erasure request'
            when latest_requests.email is not null then 'latest request is an opt-out'
        end as violation
    from audiences
    left join attributes
        on audiences.customer_id = attributes.customer_id
    left join erased
        on audiences.customer_id = erased.customer_id
    left join erasure_emails
        on {{ customer_segments.normalize_email('attributes.email') }} = erasure_emails.email
    left join latest_requests
        on
            {{ customer_segments.normalize_email('attributes.email') }} = latest_requests.email
            and latest_requests.recency_rank = 1
            and latest_requests.request_type = 'marketing_opt_out'
)

select
    segment_key,
    customer_id,
    violation
from violations
where violation is not null
