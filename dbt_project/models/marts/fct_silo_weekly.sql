-- Grain: one row per ISO week (Monday): interactions between people, how many cross sides
-- (tech, product, business, leadership), and the share. A falling share is a growing silo.
with

interactions as (
    select * from {{ ref('int_interactions') }}
),

final as (
    select
        week_start,
        count(*) as interactions,
        count(*) filter (where is_cross_side) as cross_side_interactions,
        count(*) filter (where not is_cross_side) as same_side_interactions,
        count(*) filter (where is_cross_side) * cast(1 as float8) / count(*) as cross_side_share,
        count(distinct from_person_id) as active_people
    from interactions
    group by week_start
)

select * from final
