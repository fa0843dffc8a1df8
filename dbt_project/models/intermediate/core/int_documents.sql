-- Grain: one row per text unit: an item body, a comment or review, or a section of minutes.
-- This is what the NLP assets annotate; each row says who wrote it, when, at which level.
--
-- Incremental: a run rebuilds the bodies and comments whose landed version (`ingested_at`)
-- is not the one this table holds, and the minutes sections whose row is not the one this
-- table holds (a minutes file is edited in place, without a landing time: its sections'
-- text, meeting time, level and repository are compared; the sections gone are deleted,
-- post-hook, by `not exists`, as int_threads says why). Rewriting every section each run
-- cost the bench's large increment 1 s, most of it DuckDB's checkpoint of 35,000 texts.
-- Who wrote a text is read from the directory, so the dbt assets rebuild this model in full
-- when the directory or the project changes (pipelines/builds.py), or a landed file is gone.
{{
    config(
        materialized='incremental',
        unique_key='document_id',
        incremental_strategy='delete+insert',
        on_schema_change='sync_all_columns',
        post_hook=(
            "delete from {{ this }} as gone where gone.document_kind = 'minutes' and not exists ("
            " select 1 from {{ ref('stg_notes__sections') }} as sections"
            " inner join {{ ref('stg_notes__meetings') }} as meetings"
            " on meetings.meeting_id = sections.meeting_id"
            " where sections.section_id = gone.document_id and not meetings.is_deleted)"
        ),
    )
}}
{%- set incremental = incremental_over('ingested_at') %}
{%- set section_text = "coalesce(sections.heading_path, '') || chr(10) || "
    ~ "coalesce(sections.section_text, '')" %}

with

items as (
    select * from {{ ref('int_items') }}
),

github_issues as (
    select * from {{ ref('stg_github__issues') }}
),

jira_issues as (
    select * from {{ ref('stg_jira__issues') }}
),

github_comments as (
    select * from {{ ref('stg_github__comments') }}
),

jira_comments as (
    select * from {{ ref('stg_jira__comments') }}
),

meetings as (
    select * from {{ ref('stg_notes__meetings') }}
    where not is_deleted
),

sections as (
    select * from {{ ref('stg_notes__sections') }}
),

people as (
    select * from {{ ref('stg_directory__people') }}
),

bodies as (
    select
        items.item_id || '/body' as document_id,
        items.item_id,
        items.source_system,
        case when items.item_kind = 'pull_request' then 'pr' else 'ticket' end as document_kind,
        items.author_alias,
        items.author_person_id,
        items.is_author_bot,
        items.created_at as authored_at,
        coalesce(github_issues.title, jira_issues.title, '')
        || chr(10) || chr(10)
        || coalesce(github_issues.body, jira_issues.body, '') as document_text,
        items.default_repo,
        cast(null as varchar) as meeting_id,
        cast(null as varchar) as meeting_level,
        coalesce(github_issues.ingested_at, jira_issues.ingested_at) as ingested_at
    from items
    left join github_issues on github_issues.item_id = items.item_id
    left join jira_issues on jira_issues.item_id = items.item_id
    {%- if incremental %}
    where {{ not_in_last_build('document_id', "items.item_id || '/body'",
        'coalesce(github_issues.ingested_at, jira_issues.ingested_at)') }}
    {%- endif %}
),

github_comment_documents as (
    select
        github_comments.comment_id as document_id,
        github_comments.item_id,
        'github' as source_system,
        case when github_comments.comment_kind = 'issue_comment' then 'comment' else 'review' end
            as document_kind,
        github_comments.author_login as author_alias,
        identities.person_id as author_person_id,
        github_comments.is_author_bot or coalesce(identities.is_bot, false) as is_author_bot,
        github_comments.created_at as authored_at,
        coalesce(github_comments.body, '') as document_text,
        github_comments.repo as default_repo,
        cast(null as varchar) as meeting_id,
        cast(null as varchar) as meeting_level,
        github_comments.ingested_at
    from github_comments
    {{ join_identity('identities', 'github', 'github_comments.author_login') }}
    {%- if incremental %}
    where {{ not_in_last_build('document_id', 'github_comments.comment_id', 'github_comments.ingested_at') }}
    {%- endif %}
),

jira_comment_documents as (
    select
        jira_comments.comment_id as document_id,
        jira_comments.item_id,
        'jira' as source_system,
        'comment' as document_kind,
        coalesce(jira_comments.author_account, jira_comments.author_email) as author_alias,
        coalesce(by_account.person_id, by_email.person_id) as author_person_id,
        jira_comments.is_author_bot
        or coalesce(by_account.is_bot, by_email.is_bot, false) as is_author_bot,
        jira_comments.created_at as authored_at,
        coalesce(jira_comments.body, '') as document_text,
        cast(null as varchar) as default_repo,
        cast(null as varchar) as meeting_id,
        cast(null as varchar) as meeting_level,
        jira_comments.ingested_at
    from jira_comments
    {{ join_identity('by_account', 'jira', 'jira_comments.author_account') }}
    {{ join_identity('by_email', 'jira', 'jira_comments.author_email') }}
    {%- if incremental %}
    where {{ not_in_last_build('document_id', 'jira_comments.comment_id', 'jira_comments.ingested_at') }}
    {%- endif %}
),

minutes_documents as (
    select
        sections.section_id as document_id,
        sections.section_id as item_id,
        'notes' as source_system,
        'minutes' as document_kind,
        cast(null as varchar) as author_alias,
        cast(null as varchar) as author_person_id,
        false as is_author_bot,
        meetings.meeting_start_at as authored_at,
        {{ section_text }} as document_text,
        meetings.default_repo,
        meetings.meeting_id,
        meetings.meeting_level,
        cast(null as timestamp) as ingested_at
    from sections
    inner join meetings on meetings.meeting_id = sections.meeting_id
    {%- if incremental %}
    where not exists (
        select 1 from {{ this }} as last_build
        where last_build.document_id = sections.section_id
            and last_build.meeting_id = meetings.meeting_id
            and last_build.text_hash = md5({{ section_text }})
            and {{ null_safe_equal('last_build.authored_at', 'meetings.meeting_start_at') }}
            and {{ null_safe_equal('last_build.meeting_level', 'meetings.meeting_level') }}
            and {{ null_safe_equal('last_build.default_repo', 'meetings.default_repo') }}
    )
    {%- endif %}
),

unioned as (
    select * from bodies
    union all
    select * from github_comment_documents
    union all
    select * from jira_comment_documents
    union all
    select * from minutes_documents
),

final as (
    select
        unioned.*,
        people.side as author_side,
        -- a minutes section speaks at the level of its meeting; other texts at their author's
        coalesce(unioned.meeting_level, people.person_level) as document_level,
        md5(unioned.document_text) as text_hash
    from unioned
    left join people on people.person_id = unioned.author_person_id
)

select * from final
