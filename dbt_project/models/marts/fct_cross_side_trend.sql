-- Grain: one row. The cross-side share of the last `recent_weeks` weeks with interactions
-- (var, default 4) against the `previous_weeks` (default 12) before them, and its relative
-- fall (1 - recent / previous): the cross-side alert's measure, defined once.
with

weekly as (
    select * from {{ ref('fct_silo_weekly') }}
),

numbered as (
    select
        week_start,
        interactions,
        cross_side_interactions,
        row_number() over (order by week_start desc) as weeks_back
    from weekly
),

windows as (
    select
        week_start,
        interactions,
        cross_side_interactions,
        weeks_back <= {{ var('recent_weeks') }} as is_recent,
        weeks_back > {{ var('recent_weeks') }}
        and weeks_back <= {{ var('recent_weeks') + var('previous_weeks') }} as is_previous
    from numbered
),

totals as (
    select
        count(*) as weeks,
        count(case when is_recent then 1 end) as recent_weeks,
        count(case when is_previous then 1 end) as previous_weeks,
        min(case when is_recent then week_start end) as recent_from_week,
        max(week_start) as recent_to_week,
        min(case when is_previous then week_start end) as previous_from_week,
        cast(coalesce(sum(case when is_recent then cross_side_interactions end), 0) as bigint)
            as recent_cross_side_interactions,
        cast(coalesce(sum(case when is_recent then interactions end), 0) as bigint)
            as recent_interactions,
        cast(coalesce(sum(case when is_previous then cross_side_interactions end), 0) as bigint)
            as previous_cross_side_interactions,
        cast(coalesce(sum(case when is_previous then interactions end), 0) as bigint)
            as previous_interactions
    from windows
),

shares as (
    select
        *,
        case when recent_interactions > 0
            then recent_cross_side_interactions * cast(1 as float8) / recent_interactions
        end as recent_cross_side_share,
        case when previous_interactions > 0
            then previous_cross_side_interactions * cast(1 as float8) / previous_interactions
        end as previous_cross_side_share
    from totals
),

final as (
    select
        weeks,
        recent_weeks,
        previous_weeks,
        recent_from_week,
        recent_to_week,
        previous_from_week,
        recent_cross_side_interactions,
        recent_interactions,
        recent_cross_side_share,
        previous_cross_side_interactions,
        previous_interactions,
        previous_cross_side_share,
        case when previous_cross_side_share > 0 and recent_cross_side_share is not null
            then 1 - recent_cross_side_share / previous_cross_side_share
        end as cross_side_drop
    from shares
)

select * from final
