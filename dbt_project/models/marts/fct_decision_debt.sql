-- Grain: one row per item escalated above the field (cited in the minutes of a management,
-- CODIR or COMEX meeting, int_references_resolved) that is still open in the snapshot
-- and that no decision closed: no taken or rejected decision on the item (a Jira priority or
-- rank change, a GitHub not-planned closure, a decision in one of its texts) or in a text
-- citing it, at or after its first escalation. With its age, its last touchpoint, and the
-- official owner who should decide: the holder at the as-of date of the role owning the
-- domain var('debt_domain_by_side') gives the raiser's side.
with

items as (
    select * from {{ ref('int_items') }}
),

people as (
    select * from {{ ref('stg_directory__people') }}
),

touchpoints as (
    select * from {{ ref('int_touchpoints') }}
),

decisions as (
    select * from {{ ref('fct_decisions') }}
    where decision_status in ('taken', 'rejected')
),

references_resolved as (
    select * from {{ ref('int_references_resolved') }}
),

owners as (
    select * from {{ ref('stg_directory__owners') }}
),

roles as (
    select * from {{ ref('stg_directory__roles') }}
),

-- the as-of instant of fct_information_flow (var as_of, else the latest document)
as_of as (
    select max(as_of_at) as as_of_at from {{ ref('fct_information_flow') }}
),

escalations as (
    select
        references_resolved.to_item_id as item_id,
        min(references_resolved.authored_at) as first_escalated_at,
        max(references_resolved.authored_at) as last_escalated_at,
        count(distinct references_resolved.meeting_id) as escalations,
        max(case when references_resolved.document_level = 'comex' then 1 else 0 end)
            as reached_comex
    from references_resolved
    inner join items on items.item_id = references_resolved.to_item_id
    where references_resolved.document_kind = 'minutes'
        and references_resolved.document_level in ('management', 'comex')
        and references_resolved.authored_at >= items.created_at
    group by references_resolved.to_item_id
),

-- decisions on the item itself, or in a text that cites it
item_decisions as (
    select item_id, decided_at from decisions where item_id is not null
    union all
    select references_resolved.to_item_id as item_id, decisions.decided_at
    from decisions
    inner join references_resolved
        on references_resolved.document_id = decisions.document_id
),

closed_by_decision as (
    select distinct escalations.item_id
    from escalations
    inner join item_decisions
        on item_decisions.item_id = escalations.item_id
        and item_decisions.decided_at >= escalations.first_escalated_at
),

last_touch as (
    select
        item_id,
        touched_at,
        touchpoint_kind,
        touchpoint_level,
        row_number() over (
            partition by item_id
            order by touched_at desc, touchpoint_kind, touchpoint_level
        ) as touch_rank
    from touchpoints
),

debts as (
    select
        items.item_id,
        items.source_system,
        items.item_kind,
        items.title,
        items.html_url,
        items.is_critical,
        items.author_person_id as raised_by_person_id,
        people.side as raised_by_side,
        people.team as raised_by_team,
        items.created_at,
        escalations.first_escalated_at,
        escalations.last_escalated_at,
        escalations.escalations,
        case when escalations.reached_comex = 1 then 'comex' else 'management' end
            as highest_level,
        case people.side
        {%- for side, domain in var('debt_domain_by_side').items() %}
            when '{{ side }}' then '{{ domain }}'
        {%- endfor %}
        end as decision_domain
    from escalations
    inner join items on items.item_id = escalations.item_id
    left join people on people.person_id = items.author_person_id
    left join closed_by_decision on closed_by_decision.item_id = escalations.item_id
    where items.closed_at is null
        and closed_by_decision.item_id is null
),

owner_now as (
    select
        debts.item_id,
        owners.owner_role,
        min(roles.person_id) as owner_person_id
    from debts
    cross join as_of
    left join owners on owners.decision_domain = debts.decision_domain
    left join roles
        on roles.role = owners.owner_role
        and roles.valid_from <= cast(as_of.as_of_at as date)
        and (roles.valid_to is null or roles.valid_to >= cast(as_of.as_of_at as date))
    group by debts.item_id, owners.owner_role
),

final as (
    select
        debts.item_id,
        debts.source_system,
        debts.item_kind,
        debts.title,
        debts.html_url,
        debts.is_critical,
        debts.raised_by_person_id,
        debts.raised_by_side,
        debts.raised_by_team,
        debts.created_at,
        debts.first_escalated_at,
        debts.last_escalated_at,
        debts.escalations,
        debts.highest_level,
        {{ hours_between('debts.first_escalated_at', 'as_of.as_of_at') }} / 24.0
            as debt_age_days,
        {{ hours_between('debts.created_at', 'as_of.as_of_at') }} / 24.0 as item_age_days,
        last_touch.touched_at as last_touchpoint_at,
        last_touch.touchpoint_kind as last_touchpoint_kind,
        last_touch.touchpoint_level as last_touchpoint_level,
        debts.decision_domain,
        owner_now.owner_role,
        owner_now.owner_person_id,
        owner.display_name as owner_name,
        as_of.as_of_at
    from debts
    cross join as_of
    left join owner_now on owner_now.item_id = debts.item_id
    left join people as owner on owner.person_id = owner_now.owner_person_id
    left join last_touch on last_touch.item_id = debts.item_id and last_touch.touch_rank = 1
)

select * from final
