-- Grain: one row per item (a Jira issue, GitHub issue or PR) raised by a directory person of
-- a known level: who raised it and at which level (field, management, comex), when it reached
-- management and COMEX, how long that took, or, when it has not arrived yet, how long it has
-- been waiting (right-censored at the as-of instant). Only items raised at field level are in
-- the field -> COMEX latency population (in_latency_population); the others are kept, not
-- dropped, so the report can count them.
-- First arrival at a level: the earliest explicit touchpoint (the item, a comment, a citing
-- text) when there is one; otherwise the earliest implicit one (a minutes passage that
-- discusses the item, int_touchpoints.link_kind). The *_explicit_* columns ignore implicit
-- links altogether.
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

threads as (
    select * from {{ ref('int_threads') }}
),

documents as (
    select * from {{ ref('int_documents') }}
),

as_of as (
    {% if var('as_of') %}
    select cast('{{ var("as_of") }}' as timestamp) as as_of_at
    {% else %}
    select max(authored_at) as as_of_at from documents
    {% endif %}
),

raised_items as (
    select
        items.*,
        people.person_level as raised_level,
        people.side as origin_side,
        people.team as origin_team
    from items
    inner join people on people.person_id = items.author_person_id
    where people.person_level in ('field', 'management', 'comex')
        and not items.is_author_bot
),

arrivals as (
    -- touchpoints at management or COMEX level at or after the item's creation, ranked per
    -- level: explicit before implicit, then earliest (then the best-scoring implicit link)
    select
        touchpoints.item_id,
        touchpoints.touchpoint_level,
        touchpoints.link_kind,
        touchpoints.link_score,
        touchpoints.touched_at,
        row_number() over (
            partition by touchpoints.item_id, touchpoints.touchpoint_level
            order by case when touchpoints.link_kind = 'explicit' then 0 else 1 end,
                touchpoints.touched_at, touchpoints.link_score desc
        ) as arrival_rank
    from raised_items
    inner join touchpoints
        on touchpoints.item_id = raised_items.item_id
        and touchpoints.touched_at >= raised_items.created_at
    where touchpoints.touchpoint_level in ('management', 'comex')
),

-- per level, the first arrival's instant, link kind and score (arrival_rank = 1)
first_reach as (
    select
        raised_items.item_id,
        {%- for level in ['management', 'comex'] %}
        max(case when arrivals.arrival_rank = 1 and arrivals.touchpoint_level = '{{ level }}'
            then arrivals.touched_at end) as first_{{ level }}_at,
        max(case when arrivals.arrival_rank = 1 and arrivals.touchpoint_level = '{{ level }}'
            then arrivals.link_kind end) as {{ level }}_link_kind,
        max(case when arrivals.arrival_rank = 1 and arrivals.touchpoint_level = '{{ level }}'
            then arrivals.link_score end) as {{ level }}_link_score,
        {%- endfor %}
        min(case when arrivals.touchpoint_level = 'comex' and arrivals.link_kind = 'explicit'
            then arrivals.touched_at end) as first_comex_explicit_at
    from raised_items
    left join arrivals on arrivals.item_id = raised_items.item_id
    group by raised_items.item_id
),

final as (
    select
        raised_items.item_id,
        threads.thread_id,
        raised_items.source_system,
        raised_items.item_kind,
        raised_items.title,
        raised_items.html_url,
        raised_items.is_critical,
        raised_items.author_person_id as origin_person_id,
        raised_items.raised_level,
        raised_items.raised_level = 'field' as in_latency_population,
        raised_items.origin_side,
        raised_items.origin_team,
        raised_items.created_at as field_at,
        first_reach.first_management_at,
        first_reach.management_link_kind,
        first_reach.management_link_score,
        first_reach.first_comex_at,
        first_reach.comex_link_kind,
        first_reach.comex_link_score,
        first_reach.first_management_at is not null as has_reached_management,
        first_reach.first_comex_at is not null as has_reached_comex,
        {{ hours_between('raised_items.created_at', 'first_reach.first_management_at') }}
            as field_to_management_hours,
        {{ hours_between('raised_items.created_at', 'first_reach.first_comex_at') }}
            as field_to_comex_hours,
        -- for survival estimates: time observed, and whether the event (COMEX) happened
        {{ hours_between('raised_items.created_at',
            'coalesce(first_reach.first_comex_at, as_of.as_of_at)') }} as observed_hours,
        -- the same with explicit links only (the report shows both)
        first_reach.first_comex_explicit_at,
        first_reach.first_comex_explicit_at is not null as has_reached_comex_explicit,
        {{ hours_between('raised_items.created_at', 'first_reach.first_comex_explicit_at') }}
            as field_to_comex_explicit_hours,
        {{ hours_between('raised_items.created_at',
            'coalesce(first_reach.first_comex_explicit_at, as_of.as_of_at)') }}
            as observed_explicit_hours,
        as_of.as_of_at
    from raised_items
    inner join first_reach on first_reach.item_id = raised_items.item_id
    left join threads on threads.item_id = raised_items.item_id
    cross join as_of
)

select * from final
