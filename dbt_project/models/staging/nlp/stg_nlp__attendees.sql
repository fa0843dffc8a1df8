with

source as (
    select * from {{ source('nlp', 'attendees') }}
),

final as (
    select
        meeting_id,
        name_as_written,
        is_absent,
        person_id,
        confidence as resolution_confidence,
        method as resolution_method
    from source
)

select * from final
