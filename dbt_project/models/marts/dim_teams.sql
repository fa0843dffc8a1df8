-- Grain: one row per team of the directory (humans only): the side most of its people are
-- on, how many people at each level, how many are still there, and its lead (a management
-- level member, else its COMEX member).
with

people as (
    select * from {{ ref('stg_directory__people') }}
    where not is_bot and team is not null
),

sides as (
    select
        team,
        side,
        row_number() over (partition by team order by count(*) desc, side) as side_rank
    from people
    group by team, side
),

leads as (
    select
        team,
        person_id,
        row_number() over (
            partition by team
            order by
                case person_level when 'management' then 1 when 'comex' then 2 else 3 end,
                case when left_on is null then 0 else 1 end,
                person_id
        ) as lead_rank
    from people
    where person_level in ('management', 'comex')
),

counts as (
    select
        team,
        count(*) as people,
        {{ count_where("left_on is null") }} as active_people,
        {{ count_where("person_level = 'field'") }} as field_people,
        {{ count_where("person_level = 'management'") }} as management_people,
        {{ count_where("person_level = 'comex'") }} as comex_people,
        count(distinct side) as sides_in_team
    from people
    group by team
),

final as (
    select
        counts.team,
        sides.side as team_side,
        counts.sides_in_team,
        counts.people,
        counts.active_people,
        counts.field_people,
        counts.management_people,
        counts.comex_people,
        leads.person_id as lead_person_id
    from counts
    inner join sides on sides.team = counts.team and sides.side_rank = 1
    left join leads on leads.team = counts.team and leads.lead_rank = 1
)

select * from final
