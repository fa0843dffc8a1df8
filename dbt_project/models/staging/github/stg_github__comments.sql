with

source as (
    select * from {{ source('github', 'comments') }}
),

latest as (
    {{ latest_version('source', 'comment_id', 'updated_at desc nulls last, ingested_at desc nulls last') }}
),

final as (
    select
        comment_id,
        item_id,
        repo,
        number as item_number,
        kind as comment_kind,
        lower(author_login) as author_login,
        coalesce(author_is_bot, false) as is_author_bot,
        body,
        review_state,
        html_url,
        cast(created_at as timestamp) as created_at,
        cast(updated_at as timestamp) as updated_at,
        cast(ingested_at as timestamp) as ingested_at  -- when this version landed
    from latest
)

select * from final
