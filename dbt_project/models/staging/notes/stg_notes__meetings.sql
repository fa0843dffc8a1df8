with

source as (
    select * from {{ source('notes', 'meetings') }}
),

latest as (
    {{ latest_version('source', 'meeting_id', 'parsed_at desc nulls last') }}
),

-- what level each meeting type speaks at: data (seeds/meeting_levels.csv), not code. Named
-- without its database: this is a view, and the published snapshot is the same file under
-- another catalog name, where "silo".main.meeting_levels would not resolve.
levels as (
    select * from {{ ref('meeting_levels').include(database=False) }}
),

final as (
    select
        latest.meeting_id,
        latest.file_path,
        latest.file_hash,
        latest.title,
        latest.meeting_date,
        cast(latest.meeting_start_at as timestamp) as meeting_start_at,
        latest.meeting_type,
        levels.meeting_level,
        latest.language,
        latest.attendees,
        latest.absentees,
        -- the notes folder's `default_repo` (silo.yml): what a bare #123 in these minutes means
        latest.default_repo,
        latest.parse_warnings,
        coalesce(latest.is_deleted, false) as is_deleted,
        cast(latest.parsed_at as timestamp) as parsed_at
    from latest
    left join levels on levels.meeting_type = latest.meeting_type
)

select * from final
