{#- Exclusive families (rfm, lifecycle, value_tier): every customer of the current attributes
    is in exactly one segment of each family. Returns customers with 0 or 2+ segments. -#}
{%- set families = customer_segments.segment_families(customer_segments.segment_catalog(), 'exclusive') %}
-- depends_on: {{ ref('segment_catalog') }}

with

attributes as (
    select * from {{ ref('customer_attributes') }}
),

memberships as (
    select * from {{ ref('segment_memberships') }}
),

families as (
    {%- for family in families %}
    select {{ customer_segments.sql_string(family) }} as family
    {{ 'union all' if not loop.last }}
    {%- else %}
    select 'none' as family from attributes where 1 = 0
    {%- endfor %}
),

expected as (
    select
        attributes.customer_id,
        families.family
    from attributes
    cross join families
),

counted as (
    select
        expected.customer_id,
        expected.family,
        count(memberships.segment_key) as segments_count
    from expected
    left join memberships
        on expected.customer_id = memberships.customer_id
        and expected.family = memberships.family
    group by expected.customer_id, expected.family
)

select
    customer_id,
    family,
    segments_count
from counted
where segments_count != 1
