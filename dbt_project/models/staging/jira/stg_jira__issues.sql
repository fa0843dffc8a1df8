with

source as (
    select * from {{ source('jira', 'issues') }}
),

latest as (
    {{ latest_version('source', 'item_id', 'updated_at desc nulls last, ingested_at desc nulls last') }}
),

final as (
    select
        item_id,
        'jira' as source_system,
        issue_key,
        project_key,
        issue_type,
        summary as title,
        description as body,
        status,
        status_category,
        priority,
        resolution,
        reporter_account,
        reporter_name,
        lower(reporter_email) as reporter_email,
        coalesce(reporter_is_bot, false) as is_reporter_bot,
        assignee_account,
        assignee_name,
        creator_account,
        labels,
        components,
        fix_versions,
        team,
        story_points,
        sprint,
        owners,
        url as html_url,
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,
        cast(ingested_at as timestamp) as ingested_at,  -- when this version landed
        cast(resolved_at as timestamp) as resolved_at
    from latest
)

select * from final
