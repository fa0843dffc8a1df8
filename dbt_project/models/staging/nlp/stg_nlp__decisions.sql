with

source as (
    select * from {{ source('nlp', 'decisions') }}
),

final as (
    select
        decision_id,
        document_id,
        sentence as decision_text,
        status as decision_status,
        domain as decision_domain,
        actors as actor_mentions,
        coalesce(attributed_to_meeting, false) as is_attributed_to_meeting
    from source
)

select * from final
