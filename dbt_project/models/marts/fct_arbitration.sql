-- Grain: one row per (decision domain, decider) for taken decisions attributed to a person
-- (named in the text, or the author of a Jira/GitHub change): count, share of the domain's
-- attributed decisions, rank, whether the decider officially owns the domain. Decisions
-- whose minutes name nobody, or that an outside body took (a municipal council, a ministry),
-- are not given to anyone; the domain's columns say how many.
with

decisions as (
    select * from {{ ref('fct_decisions') }}
    where decision_status = 'taken' and decision_domain is not null
),

domains as (
    select
        decision_domain,
        count(*) as domain_decisions,
        count(*) filter (where decided_by_person_id is null) as domain_unattributed_decisions,
        count(*) filter (where attribution = 'outside_body') as domain_outside_body_decisions
    from decisions
    group by decision_domain
),

by_decider as (
    select
        decision_domain,
        decided_by_person_id as decider_id,
        max(decided_by_name) as decider_name,
        max(decided_by_side) as decider_side,
        max(official_owner_role) as official_owner_role,
        bool_or(is_decided_by_official_owner) as is_official_owner,
        count(*) as decisions,
        count(*) filter (where meeting_level = 'comex') as comex_decisions,
        count(*) filter (where decision_source = 'jira_changelog') as jira_priority_changes
    from decisions
    where decided_by_person_id is not null
    group by decision_domain, decided_by_person_id
),

final as (
    select
        by_decider.decision_domain || ':' || by_decider.decider_id as arbitration_id,
        by_decider.decision_domain,
        by_decider.decider_id,
        by_decider.decider_name,
        by_decider.decider_side,
        by_decider.official_owner_role,
        by_decider.is_official_owner,
        by_decider.decisions,
        by_decider.comex_decisions,
        by_decider.jira_priority_changes,
        by_decider.decisions * cast(1 as float8)
        / sum(by_decider.decisions) over (partition by by_decider.decision_domain)
            as share_of_domain,
        rank() over (
            partition by by_decider.decision_domain order by by_decider.decisions desc
        ) as decider_rank,
        domains.domain_decisions,
        domains.domain_unattributed_decisions,
        domains.domain_outside_body_decisions
    from by_decider
    inner join domains on domains.decision_domain = by_decider.decision_domain
)

select * from final
