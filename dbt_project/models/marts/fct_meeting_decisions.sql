-- Grain: one row per meeting level (comex, management, field) where minutes recorded a
-- decision: decisions, taken ones, technical ones, and technical ones taken with no tech
-- person present (fct_decisions.is_tech_decision_without_tech, COMEX only). The minimum
-- evidence of the tech-without-tech alert is this mart's taken_decisions at COMEX.
with

decisions as (
    select * from {{ ref('fct_decisions') }}
    where meeting_id is not null
        and meeting_level is not null
),

final as (
    select
        meeting_level,
        count(*) as decisions,
        count(case when decision_status = 'taken' then 1 end) as taken_decisions,
        count(case when decision_domain = 'technical' then 1 end) as technical_decisions,
        count(case when is_tech_decision_without_tech then 1 end)
            as tech_decisions_without_tech,
        count(distinct meeting_id) as meetings
    from decisions
    group by meeting_level
)

select * from final
