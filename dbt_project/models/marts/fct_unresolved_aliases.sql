-- Grain: one row per (alias source, alias) that appears in the evidence but does not resolve
-- to a person of the directory: GitHub logins and Jira accounts of authors, names written in
-- minutes' attendance, decision actors named in texts. For a human to fix the directory
-- (add the alias, or the person); bots are left out, nothing is silently dropped.
with

documents as (
    select * from {{ ref('int_documents') }}
    where author_alias is not null
        and author_person_id is null
        and not is_author_bot
),

attendees as (
    select * from {{ ref('stg_nlp__attendees') }}
    where person_id is null
),

actors as (
    select * from {{ ref('stg_nlp__decision_actors') }}
    where person_id is null
        and mention_kind in ('person', 'role')
),

meetings as (
    select * from {{ ref('stg_notes__meetings') }}
),

authors as (
    select
        source_system as alias_source,
        author_alias as alias,
        'author of ' || min(document_kind) as seen_as_kind,
        count(*) as occurrences,
        min(authored_at) as first_seen_at,
        max(authored_at) as last_seen_at,
        'not in the directory' as unresolved_reason
    from documents
    group by source_system, author_alias
),

attendance as (
    select
        'minutes' as alias_source,
        attendees.name_as_written as alias,
        case when attendees.is_absent then 'absentee' else 'attendee' end as seen_as_kind,
        count(*) as occurrences,
        min(meetings.meeting_start_at) as first_seen_at,
        max(meetings.meeting_start_at) as last_seen_at,
        max(attendees.resolution_method) as unresolved_reason
    from attendees
    inner join meetings on meetings.meeting_id = attendees.meeting_id
    group by attendees.name_as_written, attendees.is_absent
),

deciders as (
    select
        'decision text' as alias_source,
        actors.actor_mention as alias,
        'decision ' || actors.mention_kind as seen_as_kind,
        count(*) as occurrences,
        min(docs.authored_at) as first_seen_at,
        max(docs.authored_at) as last_seen_at,
        max(actors.resolution_method) as unresolved_reason
    from actors
    inner join {{ ref('int_documents') }} as docs on docs.document_id = actors.document_id
    group by actors.actor_mention, actors.mention_kind
),

unioned as (
    select * from authors
    union all
    select * from attendance
    union all
    select * from deciders
),

final as (
    select
        -- a hash, so the key holds no name (the snapshot may be pseudonymised)
        md5(alias_source || ':' || seen_as_kind || ':' || alias) as unresolved_alias_id,
        *
    from unioned
)

select * from final
