-- The R x F segment map has exactly 25 rows, one per (r_score, f_score) cell of the 5 x 5 grid,
-- and uses only the documented segment names. Returns one row per problem.
with

segment_map as (
    select * from {{ ref('rfm_segment_map') }}
),

scores as (
    select 1 as score
    union all
    select 2
    union all
    select 3
    union all
    select 4
    union all
    select 5
),

cells as (
    select
        r_scores.score as r_score,
        f_scores.score as f_score
    from scores as r_scores
    cross join scores as f_scores
),

cell_counts as (
    select
        cells.r_score,
        cells.f_score,
        count(segment_map.rfm_segment) as mapped_rows
    from cells
    left join segment_map
        on
            cells.r_score = segment_map.r_score
            and cells.f_score = segment_map.f_score
    group by cells.r_score, cells.f_score
),

problems as (
    select
        'cell not mapped exactly once' as problem,
        r_score,
        f_score
    from cell_counts
    where mapped_rows != 1
    union all
    select
        'row outside the 5 x 5 grid' as problem,
        r_score,
        f_score
    from segment_map
    where r_score not between 1 and 5 or f_score not between 1 and 5 or r_score is null or f_score is null
    union all
    select
        'unknown segment name' as problem,
        r_score,
        f_score
    from segment_map
    where rfm_segment not in (
        'Champions', 'Loyal', 'Potential Loyalists', 'New', 'Promising', 'Need Attention',
        'About to Sleep', 'At Risk', 'Can''t Lose Them', 'Hibernating', 'Lost'
    )
),

final as (
    select
        problem,
        r_score,
        f_score
    from problems
)

select * from final
