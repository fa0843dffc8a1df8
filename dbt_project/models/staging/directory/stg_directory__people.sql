with

source as (
    select * from {{ source('directory', 'people') }}
),

final as (
    select distinct
        person_id,
        display_name,
        team,
        side,
        level as person_level,
        title,
        manager_id,
        cast(arrived_on as date) as arrived_on,
        cast(left_on as date) as left_on,
        coalesce(is_bot, false) as is_bot
    from source
)

select * from final
