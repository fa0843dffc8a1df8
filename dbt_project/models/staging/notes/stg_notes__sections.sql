with

source as (
    select * from {{ source('notes', 'sections') }}
),

latest as (
    {{ latest_version('source', 'section_id', 'parsed_at desc nulls last') }}
),

final as (
    select
        section_id,
        meeting_id,
        position as section_position,
        heading_path,
        kind as section_kind,
        text as section_text,
        cast(parsed_at as timestamp) as parsed_at
    from latest
)

select * from final
