{#- Activation audiences: members of activatable segments who currently consent to marketing
    and are not erased, with the ad platforms' customer-match keys (SHA-256 of the lower-case
    trimmed email, of the E.164 phone) and no raw personal data. Each activatable segment has
    its own view audience_<segment_key> (models/marts/segments/audiences, generated). -#}

with

memberships as (
    select * from {{ ref('int_segment_memberships') }}
),

catalog as (
    select * from {{ ref('int_segment_catalog') }}
),

attributes as (
    select * from {{ ref('int_segment_attributes_enriched') }}
),

privacy_requests as (
    select * from {{ ref('stg_privacy__requests') }}
),

request_emails as (
    select
        {{ customer_segments.normalize_email('email') }} as email,
        request_type,
        row_number() over (
            partition by
                {{ customer_segments.normalize_email('email') }},
                case when request_type = 'erasure' then 'erasure' else 'consent' end
            order by requested_at desc, request_id desc
        ) as recency_rank
    from privacy_requests
    where email is not null
),

blocked_emails as (
    {#- on top of has_marketing_consent: an address named by an erasure request, or whose
        latest consent request is an opt-out, is never uploaded, even when the request
        linked to no customer #}
    select email
    from request_emails
    where
        request_type = 'erasure'
        or (request_type = 'marketing_opt_out' and recency_rank = 1)
    group by email
),

eligible as (
    select
        memberships.segment_key,
        memberships.customer_id,
        memberships.as_of_date,
        attributes.email,
        attributes.phone
    from memberships
    inner join catalog
        on memberships.segment_key = catalog.segment_key
    inner join attributes
        on memberships.customer_id = attributes.customer_id
    left join blocked_emails
        on {{ customer_segments.normalize_email('attributes.email') }} = blocked_emails.email
    where
        catalog.is_activatable
        and attributes.has_marketing_consent
        and blocked_emails.email is null
        and (attributes.email is not null or attributes.phone is not null)
),

final as (
    select
        cast(segment_key as {{ dbt.type_string() }}) as segment_key,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(as_of_date as date) as as_of_date,
        cast({{ customer_segments.segment_hash_email('email') }} as {{ dbt.type_string() }}) as email_sha256,
        cast({{ customer_segments.segment_hash_phone('phone') }} as {{ dbt.type_string() }}) as phone_sha256
    from eligible
)

select * from final
