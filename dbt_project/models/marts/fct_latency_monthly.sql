-- Grain: one row per month raised (of field items): how many field items, how many
-- critical, how many reached COMEX, and the plain median field-to-COMEX latency of those
-- that arrived (not a survival estimate: items still waiting are not in it). The report's
-- "trend by month raised" and the critical-items alert's trend.
with

flow as (
    -- the latency population: items raised at field level
    select * from {{ ref('fct_information_flow') }} where in_latency_population
),

final as (
    select
        cast(date_trunc('month', field_at) as date) as month_start,
        count(*) as field_items,
        count(case when is_critical then 1 end) as critical_items,
        count(case when has_reached_comex then 1 end) as reached_comex,
        percentile_cont(0.5) within group (order by field_to_comex_hours)
            as median_hours_when_reached,
        cast(
            percentile_cont(0.5) within group (order by field_to_comex_hours) / 24.0
            as decimal(10, 1)
        ) as median_days_when_reached
    from flow
    group by cast(date_trunc('month', field_at) as date)
)

select * from final
