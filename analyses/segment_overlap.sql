{#- Pairwise overlap of segments (current run): customers in both, and the overlap as a share
    of each segment and as Jaccard index. Exclusive families only overlap across families.
    Compile with `dbt compile -s segment_overlap`. -#}
with

memberships as (
    select * from {{ ref('segment_memberships') }}
),

sizes as (
    select
        segment_key,
        count(*) as members
    from memberships
    group by segment_key
),

pairs as (
    select
        left_side.segment_key as segment_key_a,
        right_side.segment_key as segment_key_b,
        count(*) as members_in_both
    from memberships as left_side
    inner join memberships as right_side
        on
            left_side.customer_id = right_side.customer_id
            and left_side.segment_key < right_side.segment_key
    group by left_side.segment_key, right_side.segment_key
),

final as (
    select
        pairs.segment_key_a,
        pairs.segment_key_b,
        pairs.members_in_both,
        size_a.members as members_a,
        size_b.members as members_b,
        cast(pairs.members_in_both as double) / size_a.members as share_of_a,
        cast(pairs.members_in_both as double) / size_b.members as share_of_b,
        cast(pairs.members_in_both as double)
        / (size_a.members + size_b.members - pairs.members_in_both) as jaccard_index
    from pairs
    inner join sizes as size_a
        on pairs.segment_key_a = size_a.segment_key
    inner join sizes as size_b
        on pairs.segment_key_b = size_b.segment_key
)

select * from final
order by jaccard_index desc
