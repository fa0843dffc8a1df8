with

source as (
    select * from {{ source('jira', 'changelog') }}
),

latest as (
    {{ latest_version('source', 'change_id', 'ingested_at desc nulls last') }}
),

final as (
    select
        change_id,
        item_id,
        issue_key,
        history_id,
        author_account,
        author_name,
        coalesce(author_is_bot, false) as is_author_bot,
        field as field_name,
        field_id,
        from_value,
        from_string,
        to_value,
        to_string,
        cast(changed_at as timestamp) as changed_at
    from latest
)

select * from final
