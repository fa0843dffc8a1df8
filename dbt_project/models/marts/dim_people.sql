-- Grain: one row per person of the directory (bots included, flagged): side, level, team,
-- title, the roles they hold today, manager and dates. No other name than display_name,
-- which the pseudonymised snapshot turns into a label (pipelines/publish/privacy.py).
with

people as (
    select * from {{ ref('stg_directory__people') }}
),

roles as (
    select * from {{ ref('stg_directory__roles') }}
),

current_roles as (
    select
        person_id,
        string_agg(role, ',' order by role) as active_role
    from roles
    where valid_to is null
    group by person_id
),

final as (
    select
        people.person_id,
        people.display_name,
        people.team,
        people.side,
        people.person_level,
        people.title,
        current_roles.active_role,
        people.manager_id,
        people.arrived_on,
        people.left_on,
        people.left_on is null as is_active,
        people.is_bot
    from people
    left join current_roles on current_roles.person_id = people.person_id
)

select * from final
