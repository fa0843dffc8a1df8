-- Grain: one row per (decision domain, month decided) with at least one taken decision
-- attributed to a person: how many, how many by the official owner at the decision's date,
-- and that share. The owner's-share trend of the official-owner alert.
with

decisions as (
    select * from {{ ref('fct_decisions') }}
    where decision_status = 'taken'
        and decision_domain is not null
        and decided_by_person_id is not null
        and decided_at is not null
),

final as (
    select
        decision_domain,
        cast(date_trunc('month', decided_at) as date) as month_start,
        count(*) as attributed_decisions,
        count(case when is_decided_by_official_owner then 1 end)
            as official_owner_decisions,
        count(case when is_decided_by_official_owner then 1 end) * cast(1 as float8) / count(*)
            as official_owner_share
    from decisions
    group by decision_domain, cast(date_trunc('month', decided_at) as date)
)

select * from final
