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

-- the combinations of what decides an observation's groups: a few thousand, where the
-- observations are hundreds of thousands; the groups are worked out on these, then each
-- observation meets its groups by one join (measured at the bench's large size: grouping
-- the observations copied into every group by the six columns that name it took 1.5 s of
-- the model's 2.5, by one integer 0.1 s). The joins on nullable columns say
-- `null_safe_equal`: PostgreSQL does not hash `is not distinct from`.
{%- set cell_columns = ['target_level', 'is_critical', 'origin_team', 'origin_side',
    'month_raised'] %}
cells as (
    select distinct {{ cell_columns | join(', ') }}
    from observations
),

-- each cell counts in the whole population and in its team, side and month raised, each
-- for all items and for its criticality
memberships as (
    select
        cells.*,
        scopes.criticality_category,
        kinds.breakdown_kind,
        case when kinds.breakdown_kind = 'team' then cast(cells.origin_team as varchar) end
            as group_team,
        case when kinds.breakdown_kind = 'side' then cast(cells.origin_side as varchar) end
            as group_side,
        case when kinds.breakdown_kind = 'month_raised' then cast(cells.month_raised as date) end
            as group_month
    from cells
    cross join (values ('all'), ('team'), ('side'), ('month_raised')) as kinds (breakdown_kind)
    cross join (values ('all'), ('critical'), ('not_critical')) as scopes (criticality_category)
    where
        scopes.criticality_category = 'all'
        or scopes.criticality_category
        = case when cells.is_critical then 'critical' else 'not_critical' end
),

-- the columns that name a group
{%- set group_columns = ['target_level', 'criticality_category', 'breakdown_kind', 'group_team',
    'group_side', 'group_month'] %}
{%- set group_key = group_columns | join(', ') %}

-- each group numbered once: the windows below partition by one integer, not six columns
groups as (
    select {{ group_key }}, row_number() over (order by {{ group_key }}) as group_number
    from (select distinct {{ group_key }} from memberships) as distinct_groups
),

cell_groups as (
    select
        {%- for column in cell_columns %}
        memberships.{{ column }},
        {%- endfor %}
        groups.group_number
    from memberships
    inner join groups on
        {%- for column in group_columns %}
        {% if not loop.first %}and {% endif -%}
        {{ null_safe_equal('groups.' ~ column, 'memberships.' ~ column) }}
        {%- endfor %}
),

-- distinct observed times per group: d arrivals, and all observations ending there
numbered as (
    select
        cell_groups.group_number,
        observations.observed_hours,
        {{ count_where("observations.has_arrived") }} as arrivals,
        count(*) as observations
    from observations
    inner join cell_groups on
        {%- for column in cell_columns %}
        {% if not loop.first %}and {% endif -%}
        {{ null_safe_equal('cell_groups.' ~ column, 'observations.' ~ column) }}
        {%- endfor %}
    group by cell_groups.group_number, observations.observed_hours
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
