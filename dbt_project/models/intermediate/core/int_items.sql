-- Grain: one row per item (a Jira issue, a GitHub issue or pull request) with its author
-- resolved to a person, and whether it is critical.
with

github_issues as (
    select * from {{ ref('stg_github__issues') }}
),

jira_issues as (
    select * from {{ ref('stg_jira__issues') }}
),

identities as (
    select * from {{ ref('int_identities') }}
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
        (
            lower(coalesce(github_issues.labels, '')) like '%"incident"%'
            or lower(coalesce(github_issues.labels, '')) like '%"critical"%'
            or lower(coalesce(github_issues.labels, '')) like '%"p0"%'
        ) as is_critical,
        github_issues.repo as default_repo,
        github_issues.created_at,
        github_issues.closed_at
    from github_issues
    left join identities
        on identities.alias_source = 'github'
        and identities.alias_key = github_issues.author_login
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
        (
            jira_issues.priority in ('Highest', 'High', 'Blocker', 'Critical')
            or lower(jira_issues.issue_type) = 'incident'
            or lower(coalesce(jira_issues.labels, '')) like '%"incident"%'
            or lower(coalesce(jira_issues.labels, '')) like '%"critical"%'
        ) as is_critical,
        cast(null as varchar) as default_repo,
        jira_issues.created_at,
        jira_issues.resolved_at as closed_at
    from jira_issues
    left join identities as by_account
        on by_account.alias_source = 'jira'
        and by_account.alias_key = lower(jira_issues.reporter_account)
    left join identities as by_email
        on by_email.alias_source = 'jira'
        and by_email.alias_key = jira_issues.reporter_email
),

final as (
    select * from github_items
    union all
    select * from jira_items
)

select * from final
