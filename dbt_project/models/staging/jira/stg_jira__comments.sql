with

source as (
    select * from {{ source('jira', 'comments') }}
),

latest as (
    {{ latest_version('source', 'comment_id', 'updated_at desc nulls last, ingested_at desc nulls last') }}
),

final as (
    select
        comment_id,
        item_id,
        issue_key,
        author_account,
        author_name,
        lower(author_email) as author_email,
        coalesce(author_is_bot, false) as is_author_bot,
        body,
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,
        cast(ingested_at as timestamp) as ingested_at  -- when this version landed
    from latest
)

select * from final
