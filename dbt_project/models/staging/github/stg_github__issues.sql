with

source as (
    select * from {{ source('github', 'issues') }}
),

latest as (
    {{ latest_version('source', 'item_id', 'updated_at desc nulls last, ingested_at desc nulls last') }}
),

final as (
    select
        item_id,
        'github' as source_system,
        repo,
        number as item_number,
        is_pull_request,
        title,
        body,
        state,
        state_reason,
        lower(author_login) as author_login,
        coalesce(author_is_bot, false) as is_author_bot,
        assignees,
        labels,
        milestone,
        html_url,
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,
        cast(ingested_at as timestamp) as ingested_at,  -- when this version landed
        cast(closed_at as timestamp) as closed_at,
        cast(merged_at as timestamp) as merged_at,
        lower(merged_by_login) as merged_by_login,
        coalesce(is_draft, false) as is_draft
    from latest
)

select * from final
