{{ config(severity='warn') }}
{#- Warning: catalog segments without any member in the current run (a rule that can never be
    true, or a value that does not exist in customer_attributes). -#}
with

catalog as (
    select * from {{ ref('segment_catalog') }}
),

memberships as (
    select * from {{ ref('segment_memberships') }}
),

members as (
    select
        segment_key,
        count(*) as members_count
    from memberships
    group by segment_key
)

select
    catalog.segment_key,
    catalog.rule_sql
from catalog
left join members
    on catalog.segment_key = members.segment_key
where members.segment_key is null
