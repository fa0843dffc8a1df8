-- Grain: one row per ISO week in which any source has a record. The silo index (1 - the mean
-- of its parts' cross-side shares over the week and the 3 before it: written interactions on
-- GitHub and Jira, co-attendance in meetings) and each part, with a coverage score: which of the sources seen in the
-- workspace (github, jira, notes) have a record that week. A week a source did not feed is
-- "not measured", never "silo": a missing source must not read as people not talking.
with

documents as (
    select * from {{ ref('int_documents') }}
),

edges as (
    select * from {{ ref('int_edges') }}
),

weekly_sources as (
    select
        {{ week_start('authored_at') }} as week_start,
        max(case when source_system = 'github' then 1 else 0 end) as has_github,
        max(case when source_system = 'jira' then 1 else 0 end) as has_jira,
        max(case when source_system = 'notes' then 1 else 0 end) as has_notes
    from documents
    group by {{ week_start('authored_at') }}
),

expected as (
    select
        max(has_github) as expects_github,
        max(has_jira) as expects_jira,
        max(has_notes) as expects_notes
    from weekly_sources
),

parts as (
    select
        week_start,
        {{ count_where("edge_kind in ('comment', 'review')") }} as written_edges,
        {{ count_where("edge_kind in ('comment', 'review') and is_cross_side") }}
            as written_cross_side_edges,
        {{ count_where("edge_kind = 'co_attendance'") }} as co_attendance_edges,
        {{ count_where("edge_kind = 'co_attendance' and is_cross_side") }}
            as co_attendance_cross_side_edges
    from edges
    group by week_start
),

-- each part pooled over the week and the three weeks before it that have records, so one
-- quiet week or the biweekly CODIR does not swing the index
pooled as (
    select
        weekly_sources.week_start,
        weekly_sources.has_github,
        weekly_sources.has_jira,
        weekly_sources.has_notes,
        coalesce(parts.written_edges, 0) as written_edges,
        coalesce(parts.written_cross_side_edges, 0) as written_cross_side_edges,
        coalesce(parts.co_attendance_edges, 0) as co_attendance_edges,
        coalesce(parts.co_attendance_cross_side_edges, 0) as co_attendance_cross_side_edges,
        {%- for part in ['written_edges', 'written_cross_side_edges', 'co_attendance_edges',
                         'co_attendance_cross_side_edges'] %}
        sum(coalesce(parts.{{ part }}, 0)) over (
            order by weekly_sources.week_start rows between 3 preceding and current row
        ) as {{ part }}_4w{{ ',' if not loop.last }}
        {%- endfor %}
    from weekly_sources
    left join parts on parts.week_start = weekly_sources.week_start
),

shares as (
    select
        pooled.week_start,
        pooled.has_github = 1 as has_github,
        pooled.has_jira = 1 as has_jira,
        pooled.has_notes = 1 as has_notes,
        expected.expects_github + expected.expects_jira + expected.expects_notes
            as sources_expected,
        pooled.has_github * expected.expects_github
        + pooled.has_jira * expected.expects_jira
        + pooled.has_notes * expected.expects_notes as sources_present,
        pooled.written_edges,
        pooled.written_cross_side_edges,
        pooled.co_attendance_edges,
        pooled.co_attendance_cross_side_edges,
        cast(pooled.written_cross_side_edges_4w as double precision)
        / nullif(pooled.written_edges_4w, 0) as written_cross_side_share,
        cast(pooled.co_attendance_cross_side_edges_4w as double precision)
        / nullif(pooled.co_attendance_edges_4w, 0) as co_attendance_cross_side_share
    from pooled
    cross join expected
),

final as (
    select
        week_start,
        has_github,
        has_jira,
        has_notes,
        sources_expected,
        sources_present,
        cast(sources_present as double precision) / nullif(sources_expected, 0)
            as coverage_score,
        written_edges,
        written_cross_side_edges,
        written_cross_side_share,
        co_attendance_edges,
        co_attendance_cross_side_edges,
        co_attendance_cross_side_share,
        case
            when sources_present < sources_expected then null
            else 1 - (written_cross_side_share + co_attendance_cross_side_share) / 2
        end as silo_index,
        case
            when sources_present < sources_expected
                or written_cross_side_share is null
                or co_attendance_cross_side_share is null
                then 'not measured'
            when 1 - (written_cross_side_share + co_attendance_cross_side_share) / 2
                >= {{ var('silo_index_threshold') }}
                then 'silo'
            else 'connected'
        end as silo_status
    from shares
)

select * from final
