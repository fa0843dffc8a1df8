-- Grain: one row per decision (see int_decisions_unioned), with who decided, who officially
-- owns the domain at that date, and whether tech and business were in the room. The one
-- definition of "a technical decision taken at COMEX without tech" (the summary, the alerts
-- and the report select it from here).
with

decisions as (
    select * from {{ ref('int_decisions_unioned') }}
),

people as (
    select * from {{ ref('stg_directory__people') }}
),

owners as (
    select * from {{ ref('stg_directory__owners') }}
),

roles as (
    select * from {{ ref('stg_directory__roles') }}
),

attendance as (
    select * from {{ ref('int_meeting_attendance') }}
),

owner_at_date as (
    select
        decisions.decision_id,
        owners.owner_role,
        min(roles.person_id) as owner_person_id
    from decisions
    left join owners on owners.decision_domain = decisions.decision_domain
    left join roles
        on roles.role = owners.owner_role
        and cast(decisions.decided_at as date) >= roles.valid_from
        and (roles.valid_to is null or cast(decisions.decided_at as date) <= roles.valid_to)
    group by 1, 2
),

final as (
    select
        decisions.decision_id,
        decisions.decision_source,
        decisions.document_id,
        decisions.item_id,
        decisions.meeting_id,
        attendance.meeting_type,
        attendance.meeting_level,
        decisions.decided_at,
        decisions.decision_text,
        decisions.decision_status,
        decisions.decision_domain,
        decisions.attribution,
        decisions.decided_by_person_id,
        decider.display_name as decided_by_name,
        decider.side as decided_by_side,
        decider.person_level as decided_by_level,
        owner_at_date.owner_role as official_owner_role,
        owner_at_date.owner_person_id as official_owner_person_id,
        decisions.decided_by_person_id is not null
        and decisions.decided_by_person_id = owner_at_date.owner_person_id
            as is_decided_by_official_owner,
        attendance.has_tech_present,
        attendance.has_business_present,
        -- a technical decision taken in a COMEX-level meeting with no tech person present
        decisions.decision_domain = 'technical'
        and coalesce(attendance.meeting_level = 'comex', false)
        and not coalesce(attendance.has_tech_present, false) as is_tech_decision_without_tech,
        decisions.decided_by_body
    from decisions
    left join people as decider on decider.person_id = decisions.decided_by_person_id
    left join owner_at_date on owner_at_date.decision_id = decisions.decision_id
    left join attendance on attendance.meeting_id = decisions.meeting_id
)

select * from final
