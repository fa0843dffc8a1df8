with

source as (
    select * from {{ source('notes', 'meetings') }}
),

latest as (
    {{ latest_version('source', 'meeting_id', 'parsed_at desc') }}
),

final as (
    select
        meeting_id,
        file_path,
        file_hash,
        title,
        meeting_date,
        cast(meeting_start_at as timestamp) as meeting_start_at,
        meeting_type,
        case
            when meeting_type in ('comex', 'codir') then 'comex'
            when meeting_type = 'management' then 'management'
            when meeting_type = 'team' then 'field'
        end as meeting_level,
        language,
        attendees,
        absentees,
        -- the notes folder's `default_repo` (silo.yml): what a bare #123 in these minutes means
        default_repo,
        parse_warnings,
        coalesce(is_deleted, false) as is_deleted,
        cast(parsed_at as timestamp) as parsed_at
    from latest
)

select * from final
