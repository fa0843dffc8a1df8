-- Grain: one row per meeting: who was in the room, by side, as resolved from the names
-- written in the minutes (unresolved names are counted apart, never dropped).
with

meetings as (
    select * from {{ ref('stg_notes__meetings') }}
    where not is_deleted
),

attendees as (
    select * from {{ ref('stg_nlp__attendees') }}
),

people as (
    select * from {{ ref('stg_directory__people') }}
),

present as (
    select
        attendees.meeting_id,
        attendees.person_id,
        people.side,
        people.person_level
    from attendees
    left join people on people.person_id = attendees.person_id
    where not attendees.is_absent
),

final as (
    select
        meetings.meeting_id,
        meetings.meeting_type,
        meetings.meeting_level,
        meetings.meeting_start_at,
        count(present.person_id) as attendees_resolved,
        count(*) filter (where present.meeting_id is not null and present.person_id is null)
            as attendees_unresolved,
        coalesce(bool_or(present.side = 'tech'), false) as has_tech_present,
        coalesce(bool_or(present.side in ('business', 'product')), false)
            as has_business_present,
        string_agg(distinct present.person_id, ',' order by present.person_id) as attendee_ids
    from meetings
    left join present on present.meeting_id = meetings.meeting_id
    group by 1, 2, 3, 4
)

select * from final
