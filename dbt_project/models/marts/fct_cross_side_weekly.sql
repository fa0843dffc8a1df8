-- Grain: one row per (ISO week, team) with at least one edge: how many edges (comments,
-- reviews, co-attendance; int_edges) its people had inside the team, with other teams, and
-- across sides, and the internal-to-external ratio. A team at or above
-- var('inward_ratio_threshold') (5, i.e. 5:1, as research on silos uses) with at least
-- var('inward_min_edges') edges that week is flagged as talking to itself.
with

edges as (
    select * from {{ ref('int_edges') }}
),

-- each edge counts once for each team it touches: an internal edge once, an external edge
-- for both teams
team_edges as (
    select
        week_start,
        from_team as team,
        to_team as other_team,
        to_side as other_side,
        edge_kind,
        is_cross_side
    from edges
    union all
    select
        week_start,
        to_team as team,
        from_team as other_team,
        from_side as other_side,
        edge_kind,
        is_cross_side
    from edges
    where is_cross_team
),

weekly as (
    select
        week_start,
        team,
        count(*) as edges,
        {{ count_where("other_team = team") }} as internal_edges,
        {{ count_where("other_team <> team") }} as external_edges,
        {{ count_where("is_cross_side") }} as cross_side_edges,
        {{ count_where("edge_kind = 'comment'") }} as comment_edges,
        {{ count_where("edge_kind = 'review'") }} as review_edges,
        {{ count_where("edge_kind = 'co_attendance'") }} as co_attendance_edges,
        count(distinct case when other_team <> team then other_team end) as other_teams_reached,
        count(distinct case when is_cross_side then other_side end) as other_sides_reached
    from team_edges
    group by week_start, team
),

final as (
    select
        weekly.*,
        cast(internal_edges as double precision) / nullif(external_edges, 0)
            as internal_to_external_ratio,
        edges >= {{ var('inward_min_edges') }}
        and internal_edges >= {{ var('inward_ratio_threshold') }} * external_edges
            as is_inward_looking
    from weekly
)

select * from final
