-- Grain: one row per (target level, criticality category, breakdown kind, group): the
-- Kaplan-Meier estimate of how long field items take to reach management or COMEX, for all
-- field items or one group of them (a team, a side, a month raised), for all, critical or
-- non-critical items. Items not arrived yet are right-censored at the as-of instant, never
-- dropped. The same estimator as pipelines/publish/survival.py (ties: events before
-- censorings), written with window functions: S(t) = exp(sum(ln(1 - d/n))) over event times.
with

flow as (
    -- the latency population: items raised at field level
    select * from {{ ref('fct_information_flow') }} where in_latency_population
),

observations as (
    select
        item_id,
        'management' as target_level,
        is_critical,
        coalesce(origin_team, 'unknown') as origin_team,
        coalesce(origin_side, 'unknown') as origin_side,
        {{ month_start('field_at') }} as month_raised,
        coalesce(
            field_to_management_hours,
            {{ hours_between('field_at', 'as_of_at') }}
        ) as observed_hours,
        first_management_at is not null as has_arrived
    from flow
    union all
    select
        item_id,
        'comex' as target_level,
        is_critical,
        coalesce(origin_team, 'unknown') as origin_team,
        coalesce(origin_side, 'unknown') as origin_side,
        {{ month_start('field_at') }} as month_raised,
        observed_hours,
        first_comex_at is not null as has_arrived
    from flow
),

-- each item counts in the whole population and in its team, side and month raised
{%- set breakdowns = {
    'all': ['null', 'null', 'null'],
    'team': ['origin_team', 'null', 'null'],
    'side': ['null', 'origin_side', 'null'],
    'month_raised': ['null', 'null', 'month_raised'],
} %}
broken_down as (
    {%- for kind, columns in breakdowns.items() %}
    select
        target_level,
        is_critical,
        observed_hours,
        has_arrived,
        '{{ kind }}' as breakdown_kind,
        cast({{ columns[0] }} as varchar) as group_team,
        cast({{ columns[1] }} as varchar) as group_side,
        cast({{ columns[2] }} as date) as group_month
    from observations
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

-- ... for all items, and for its criticality
scoped as (
    select broken_down.*, 'all' as criticality_category from broken_down
    union all
    select
        broken_down.*,
        case when is_critical then 'critical' else 'not_critical' end as criticality_category
    from broken_down
),

-- the columns that name a group
{%- set group_key = 'target_level, criticality_category, breakdown_kind, group_team, group_side, '
    ~ 'group_month' %}

-- distinct observed times per group: d arrivals, and all observations ending there
times as (
    select
        {{ group_key }},
        observed_hours,
        {{ count_where("has_arrived") }} as arrivals,
        count(*) as observations
    from scoped
    group by {{ group_key }}, observed_hours
),

-- n: items still at risk at t (observed for t hours or more)
at_risk as (
    select
        times.*,
        sum(observations) over (
            partition by {{ group_key }}
            order by observed_hours desc
            rows between unbounded preceding and current row
        ) as at_risk
    from times
),

-- S(t) = product of (1 - d/n) over event times <= t, as exp(sum(ln(...))); a factor of
-- zero (every item still at risk arrives) makes S zero from there on. Between event times
-- S keeps its value (the sums do not change), and it is 1 before the first arrival.
steps as (
    select
        at_risk.*,
        sum(case when arrivals = at_risk then 1 else 0 end) over (
            partition by {{ group_key }}
            order by observed_hours
            rows between unbounded preceding and current row
        ) as zero_factors,
        sum(
            case
                when arrivals > 0 and arrivals < at_risk
                    then ln(1 - cast(arrivals as double precision) / at_risk)
                else 0
            end
        ) over (
            partition by {{ group_key }}
            order by observed_hours
            rows between unbounded preceding and current row
        ) as log_survival
    from at_risk
),

survival as (
    select
        steps.*,
        case when zero_factors > 0 then 0.0 else exp(log_survival) end as survival
    from steps
),

-- quantiles: the first time S falls to 1 - q (with a tolerance for rounding, as in Python)
final as (
    select
        {{ group_key }},
        cast(sum(observations) as bigint) as items,
        cast(sum(arrivals) as bigint) as arrived_items,
        cast(sum(observations) - sum(arrivals) as bigint) as waiting_items,
        min(case when survival <= 0.5 + 1e-9 then observed_hours end) as median_hours,
        min(case when survival <= 0.25 + 1e-9 then observed_hours end) as p75_hours,
        cast(min(survival) as double precision) as share_never_arrived,
        max(observed_hours) as max_observed_hours
    from survival
    group by {{ group_key }}
)

select * from final
