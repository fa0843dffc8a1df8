with

source as (
    select * from {{ source('github', 'events') }}
),

latest as (
    {{ latest_version('source', 'event_id', 'ingested_at desc nulls last') }}
),

final as (
    select
        event_id,
        item_id,
        repo,
        number as item_number,
        event as event_type,
        lower(actor_login) as actor_login,
        coalesce(actor_is_bot, false) as is_actor_bot,
        label,
        milestone,
        state_reason,
        source_item_id,
        cast(created_at as timestamp) as created_at
    from latest
)

select * from final
