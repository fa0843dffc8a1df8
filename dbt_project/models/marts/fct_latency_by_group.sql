-- Grain: one row per (target level, criticality category, breakdown kind, group): the
-- Kaplan-Meier estimate of how long field items take to reach management or COMEX, for all
-- field items or one group of them (a team, a side, a month raised), for all, critical or
-- non-critical items. Items not arrived yet are right-censored at the as-of instant, never
-- dropped. The same estimator as pipelines/publish/survival.py (ties: events before
-- censorings), written with window functions: S(t) = exp(sum(ln(1 - d/n))) over event times,
-- summed over the event times only (censorings count in n, the items still at risk).
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
{%- set group_columns = ['target_level', 'criticality_category', 'breakdown_kind', 'group_team',
    'group_side', 'group_month'] %}
{%- set group_key = group_columns | join(', ') %}

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

-- each group numbered once: the windows below partition by one integer, not six columns
groups as (
    select {{ group_key }}, row_number() over (order by {{ group_key }}) as group_number
    from (select distinct {{ group_key }} from times) as distinct_groups
),

numbered as (
    select groups.group_number, times.observed_hours, times.arrivals, times.observations
    from times
    inner join groups on
        {%- for column in group_columns %}
        {% if not loop.first %}and {% endif %}groups.{{ column }} is not distinct from times.{{ column }}
        {%- endfor %}
),

-- n: items still at risk at t (observed for t hours or more); then only the event times,
-- where S changes, go on (a group's censorings count in n and nowhere else)
events as (
    select * from (
        select
            numbered.*,
            sum(observations) over (
                partition by group_number
                order by observed_hours desc
                rows between unbounded preceding and current row
            ) as at_risk
        from numbered
    ) as with_risk
    where arrivals > 0
),

-- S(t) = product of (1 - d/n) over event times <= t, as exp(sum(ln(...))); a factor of
-- zero (every item still at risk arrives) makes S zero from its time on. Before the first
-- arrival S is 1 (a group with no arrival has no event row).
zero_from as (
    select group_number, min(observed_hours) as zero_hours
    from events
    where arrivals = at_risk
    group by group_number
),

survival as (
    select
        events.group_number,
        events.observed_hours,
        case
            when events.observed_hours >= zero_from.zero_hours then 0.0
            else exp(sum(
                case
                    when arrivals < at_risk
                        then ln(1 - cast(arrivals as double precision) / at_risk)
                    else 0
                end
            ) over (
                partition by events.group_number
                order by events.observed_hours
                rows between unbounded preceding and current row
            ))
        end as survival
    from events
    left join zero_from on zero_from.group_number = events.group_number
),

counts as (
    select
        group_number,
        cast(sum(observations) as bigint) as items,
        cast(sum(arrivals) as bigint) as arrived_items,
        max(observed_hours) as max_observed_hours
    from numbered
    group by group_number
),

-- quantiles: the first time S falls to 1 - q (with a tolerance for rounding, as in Python)
quantiles as (
    select
        group_number,
        min(case when survival <= 0.5 + 1e-9 then observed_hours end) as median_hours,
        min(case when survival <= 0.25 + 1e-9 then observed_hours end) as p75_hours,
        min(survival) as lowest_survival
    from survival
    group by group_number
),

final as (
    select
        {%- for column in group_columns %}
        groups.{{ column }},
        {%- endfor %}
        counts.items,
        counts.arrived_items,
        counts.items - counts.arrived_items as waiting_items,
        quantiles.median_hours,
        quantiles.p75_hours,
        cast(coalesce(quantiles.lowest_survival, 1.0) as double precision) as share_never_arrived,
        counts.max_observed_hours
    from groups
    inner join counts on counts.group_number = groups.group_number
    left join quantiles on quantiles.group_number = groups.group_number
)

select * from final
