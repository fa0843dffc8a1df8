-- Grain: one row per decision, wherever it was recorded: a sentence in minutes or another
-- text (from the NLP step), a Jira priority or rank change, a GitHub issue closed as not
-- planned. decided_by_person_id is the first resolved actor; minutes decisions that name
-- nobody are attributed to the meeting; a decision an outside body took (a municipal
-- council, a ministry, a foundation: mention_kind 'body') is that body's, neither a person's
-- nor the meeting's nor its text's author's (attribution 'outside_body', decided_by_body).
with

decisions as (
    select * from {{ ref('stg_nlp__decisions') }}
),

actors as (
    select * from {{ ref('stg_nlp__decision_actors') }}
),

documents as (
    select * from {{ ref('int_documents') }}
),

changelog as (
    select * from {{ ref('stg_jira__changelog') }}
),

github_events as (
    select * from {{ ref('stg_github__events') }}
),

first_actor as (
    select
        decision_id,
        min(person_id) filter (where person_id is not null) as person_id,
        count(*) as actor_mentions,
        count(person_id) as actors_resolved,
        min(actor_mention) filter (where mention_kind = 'body') as body_mention
    from actors
    group by decision_id
),

text_decisions as (
    select
        decisions.decision_id,
        documents.source_system || '_text' as decision_source,
        decisions.document_id,
        documents.item_id,
        documents.meeting_id,
        documents.authored_at as decided_at,
        decisions.decision_text,
        decisions.decision_status,
        decisions.decision_domain,
        case
            when first_actor.person_id is not null then first_actor.person_id
            when first_actor.body_mention is null then documents.author_person_id
        end as decided_by_person_id,
        case
            when first_actor.person_id is not null then 'named'
            when first_actor.body_mention is not null then 'outside_body'
            when documents.meeting_id is not null then 'meeting'
            when documents.author_person_id is not null then 'author'
        end as attribution,
        coalesce(first_actor.actor_mentions, 0) as actor_mentions,
        case when first_actor.person_id is null then first_actor.body_mention end
            as decided_by_body
    from decisions
    inner join documents on documents.document_id = decisions.document_id
    left join first_actor on first_actor.decision_id = decisions.decision_id
),

jira_decisions as (
    select
        changelog.change_id as decision_id,
        'jira_changelog' as decision_source,
        cast(null as varchar) as document_id,
        changelog.item_id,
        cast(null as varchar) as meeting_id,
        changelog.changed_at as decided_at,
        changelog.issue_key || ': ' || changelog.field_name || ' '
        || coalesce(changelog.from_string, '∅') || ' -> ' || coalesce(changelog.to_string, '∅')
            as decision_text,
        'taken' as decision_status,
        'roadmap' as decision_domain,
        identities.person_id as decided_by_person_id,
        'author' as attribution,
        1 as actor_mentions,
        cast(null as varchar) as decided_by_body
    from changelog
    {{ join_identity('identities', 'jira', 'changelog.author_account') }}
    where lower(changelog.field_name) in ('priority', 'rank')
        and not changelog.is_author_bot
),

github_decisions as (
    select
        github_events.event_id as decision_id,
        'github_event' as decision_source,
        cast(null as varchar) as document_id,
        github_events.item_id,
        cast(null as varchar) as meeting_id,
        github_events.created_at as decided_at,
        github_events.item_id || ' closed as not planned' as decision_text,
        'rejected' as decision_status,
        'roadmap' as decision_domain,
        identities.person_id as decided_by_person_id,
        'author' as attribution,
        1 as actor_mentions,
        cast(null as varchar) as decided_by_body
    from github_events
    {{ join_identity('identities', 'github', 'github_events.actor_login') }}
    where github_events.event_type = 'closed'
        and github_events.state_reason = 'not_planned'
        and not github_events.is_actor_bot
),

final as (
    select * from text_decisions
    union all
    select * from jira_decisions
    union all
    select * from github_decisions
)

select * from final
