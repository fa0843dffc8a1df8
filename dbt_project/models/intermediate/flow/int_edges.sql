-- Grain: one row per edge between two people: a comment or review by one person on another
-- person's item (int_interactions: no bots, no reply on one's own item), or two resolved
-- people present at the same meeting (co-attendance, one row per pair, person ids ordered).
-- Each edge carries both people's side and team and its ISO week, for the weekly marts.
-- edge_source_id names what the edge comes from: the comment or review, or the meeting.
-- Incremental: each row keeps `edge_print`, a print of all the edges of its source (a comment
-- or review: one edge; a meeting: one per pair of attendees); a run computes every edge and
-- writes only the sources whose print changed or is new, and removes those no longer found
-- (`stored_by_print`, which also configures the model): writing the 664k rows was most of
-- this model's time.
with

interactions as (
    select * from {{ ref('int_interactions') }}
),

documents as (
    select * from {{ ref('int_documents') }}
),

attendees as (
    select distinct meeting_id, person_id
    from {{ ref('stg_nlp__attendees') }}
    where not is_absent and person_id is not null
),

meetings as (
    select * from {{ ref('stg_notes__meetings') }}
    where not is_deleted
),

people as (
    select * from {{ ref('stg_directory__people') }}
),

written as (
    select
        documents.document_kind as edge_kind,
        documents.source_system,
        interactions.interaction_id as document_id,
        cast(null as varchar) as meeting_id,
        interactions.interacted_at as occurred_at,
        interactions.from_person_id,
        interactions.to_person_id
    from interactions
    inner join documents on documents.document_id = interactions.interaction_id
),

co_attendance as (
    select
        'co_attendance' as edge_kind,
        'notes' as source_system,
        cast(null as varchar) as document_id,
        meetings.meeting_id,
        meetings.meeting_start_at as occurred_at,
        first_person.person_id as from_person_id,
        second_person.person_id as to_person_id
    from meetings
    inner join attendees as first_person on first_person.meeting_id = meetings.meeting_id
    inner join attendees as second_person
        on second_person.meeting_id = meetings.meeting_id
        and first_person.person_id < second_person.person_id
),

unioned as (
    select * from written
    union all
    select * from co_attendance
),

found as (
    select
        unioned.edge_kind,
        unioned.source_system,
        unioned.document_id,
        unioned.meeting_id,
        coalesce(unioned.document_id, unioned.meeting_id) as edge_source_id,
        unioned.occurred_at,
        {{ week_start('unioned.occurred_at') }} as week_start,
        unioned.from_person_id,
        from_person.side as from_side,
        from_person.team as from_team,
        unioned.to_person_id,
        to_person.side as to_side,
        to_person.team as to_team,
        from_person.side <> to_person.side as is_cross_side,
        from_person.team <> to_person.team as is_cross_team
    from unioned
    inner join people as from_person on from_person.person_id = unioned.from_person_id
    inner join people as to_person on to_person.person_id = unioned.to_person_id
    where not from_person.is_bot and not to_person.is_bot
)
{{ stored_by_print(
    'edge_source_id',
    ['edge_kind', 'source_system', 'document_id', 'meeting_id', 'edge_source_id',
     'occurred_at', 'week_start', 'from_person_id', 'from_side', 'from_team', 'to_person_id',
     'to_side', 'to_team', 'is_cross_side', 'is_cross_team'],
    'edge_print',
) }}
