-- Grain: one row per (decision domain, decider): how many decisions of that domain the
-- person took (or the meeting, when the minutes name nobody), their share, and whether
-- the person is the domain's official owner. Taken decisions only.
with

decisions as (
    select * from {{ ref('fct_decisions') }}
    where decision_status = 'taken' and decision_domain is not null
),

by_decider as (
    select
        decision_domain,
        coalesce(decided_by_person_id, '(meeting, unnamed)') as decider,
        max(decided_by_name) as decider_name,
        max(decided_by_side) as decider_side,
        max(official_owner_role) as official_owner_role,
        bool_or(is_decided_by_official_owner) as is_official_owner,
        count(*) as decisions,
        count(*) filter (where meeting_level = 'comex') as comex_decisions
    from decisions
    group by 1, 2
),

final as (
    select
        decision_domain || ':' || decider as arbitration_id,
        decision_domain,
        decider as decider_id,
        decider_name,
        decider_side,
        official_owner_role,
        is_official_owner,
        decisions,
        comex_decisions,
        decisions * 1.0 / sum(decisions) over (partition by decision_domain) as share_of_domain,
        rank() over (partition by decision_domain order by decisions desc) as decider_rank
    from by_decider
)

select * from final
