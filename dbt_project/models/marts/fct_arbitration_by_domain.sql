-- Grain: one row per decision domain. Every decision of the domain, the taken ones, how many
-- of those are attributed to a person, the official owner's share of the attributed ones
-- (decided by the holder of the owning role at the decision's date) and the top decider
-- (most attributed decisions; ties to the smallest person id), and how many taken decisions
-- an outside body took (a council, a ministry: not a person, not the meeting; counted among
-- the unattributed ones). The summary and the
-- official-owner alert read these numbers as they are.
with

decisions as (
    select * from {{ ref('fct_decisions') }}
    where decision_domain is not null
),

arbitration as (
    select * from {{ ref('fct_arbitration') }}
),

domains as (
    select
        decision_domain,
        count(*) as decisions,
        count(case when decision_status = 'taken' then 1 end) as taken_decisions,
        count(case when decision_status = 'taken' and decided_by_person_id is not null
            then 1 end) as attributed_decisions,
        count(case when decision_status = 'taken' and decided_by_person_id is not null
            and is_decided_by_official_owner then 1 end) as official_owner_decisions,
        max(case when decision_status = 'taken' then official_owner_role end)
            as official_owner_role,
        count(case when decision_status = 'taken' and attribution = 'outside_body' then 1 end)
            as outside_body_decisions
    from decisions
    group by decision_domain
),

ranked_deciders as (
    select
        decision_domain,
        decider_id,
        decider_name,
        decisions,
        share_of_domain,
        is_official_owner,
        row_number() over (
            partition by decision_domain order by decisions desc, decider_id
        ) as pick
    from arbitration
),

final as (
    select
        domains.decision_domain,
        domains.decisions,
        domains.taken_decisions,
        domains.attributed_decisions,
        domains.taken_decisions - domains.attributed_decisions as unattributed_decisions,
        domains.official_owner_role,
        domains.official_owner_decisions,
        case
            when domains.attributed_decisions > 0
                then domains.official_owner_decisions * cast(1 as float8) / domains.attributed_decisions
        end as official_owner_share,
        top_decider.decider_id as top_decider_person_id,
        top_decider.decider_name as top_decider_name,
        top_decider.decisions as top_decider_decisions,
        top_decider.share_of_domain as top_decider_share,
        top_decider.is_official_owner as is_top_decider_official_owner,
        domains.outside_body_decisions
    from domains
    left join ranked_deciders as top_decider
        on top_decider.decision_domain = domains.decision_domain
        and top_decider.pick = 1
)

select * from final
