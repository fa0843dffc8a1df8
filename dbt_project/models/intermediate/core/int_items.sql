-- Grain: one row per item (a Jira issue, a GitHub issue or pull request) with its author
-- resolved to a person, and whether it is critical.
--
-- Incremental, as int_documents: a run rebuilds the items whose landed version
-- (`ingested_at`) is not the one this table holds; the dbt assets rebuild it in full when
-- the directory (authors) or the project (critical markers are a seed) changes.
{{
    config(
        materialized='incremental',
        unique_key='item_id',
        incremental_strategy='delete+insert',
        on_schema_change='sync_all_columns',
    )
}}
{%- set incremental = incremental_over('ingested_at') %}

with

github_issues as (
    select * from {{ ref('stg_github__issues') }}
),

jira_issues as (
    select * from {{ ref('stg_jira__issues') }}
),

-- what makes an item critical: data (seeds/critical_markers.csv), lower-case values
markers as (
    select * from {{ ref('critical_markers') }}
),

critical_github as (
    select distinct github_issues.item_id
    from github_issues
    inner join markers
        on markers.source_system = 'github'
        and markers.marker_field = 'label'
        and lower(coalesce(github_issues.labels, '')) like '%"' || markers.marker_value || '"%'
),

critical_jira as (
    select distinct jira_issues.item_id
    from jira_issues
    inner join markers
        on markers.source_system = 'jira'
        and (
            (markers.marker_field = 'priority'
                and lower(jira_issues.priority) = markers.marker_value)
            or (markers.marker_field = 'issue_type'
                and lower(jira_issues.issue_type) = markers.marker_value)
            or (markers.marker_field = 'label'
                and lower(coalesce(jira_issues.labels, ''))
                like '%"' || markers.marker_value || '"%')
        )
),

github_items as (
    select
        github_issues.item_id,
        'github' as source_system,
        case when github_issues.is_pull_request then 'pull_request' else 'issue' end as item_kind,
        github_issues.title,
        github_issues.html_url,
        github_issues.author_login as author_alias,
        identities.person_id as author_person_id,
        github_issues.is_author_bot or coalesce(identities.is_bot, false) as is_author_bot,
        critical_github.item_id is not null as is_critical,
        github_issues.repo as default_repo,
        github_issues.created_at,
        github_issues.closed_at,
        github_issues.ingested_at
    from github_issues
    {{ join_identity('identities', 'github', 'github_issues.author_login') }}
    left join critical_github on critical_github.item_id = github_issues.item_id
    {%- if incremental %}
    where {{ not_in_last_build('item_id', 'github_issues.item_id', 'github_issues.ingested_at') }}
    {%- endif %}
),

jira_items as (
    select
        jira_issues.item_id,
        'jira' as source_system,
        lower(jira_issues.issue_type) as item_kind,
        jira_issues.title,
        jira_issues.html_url,
        coalesce(jira_issues.reporter_account, jira_issues.reporter_email) as author_alias,
        coalesce(by_account.person_id, by_email.person_id) as author_person_id,
        jira_issues.is_reporter_bot
        or coalesce(by_account.is_bot, by_email.is_bot, false) as is_author_bot,
        critical_jira.item_id is not null as is_critical,
        cast(null as varchar) as default_repo,
        jira_issues.created_at,
        jira_issues.resolved_at as closed_at,
        jira_issues.ingested_at
    from jira_issues
    {{ join_identity('by_account', 'jira', 'jira_issues.reporter_account') }}
    {{ join_identity('by_email', 'jira', 'jira_issues.reporter_email') }}
    left join critical_jira on critical_jira.item_id = jira_issues.item_id
    {%- if incremental %}
    where {{ not_in_last_build('item_id', 'jira_issues.item_id', 'jira_issues.ingested_at') }}
    {%- endif %}
),

final as (
    select * from github_items
    union all
    select * from jira_items
)

select * from final
