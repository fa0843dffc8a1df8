with

source as (
    select * from {{ source('nlp', 'decision_actors') }}
),

final as (
    select
        decision_id,
        document_id,
        mention as actor_mention,
        mention_kind,
        role as mentioned_role,
        person_id,
        confidence as resolution_confidence,
        method as resolution_method
    from source
)

select * from final
