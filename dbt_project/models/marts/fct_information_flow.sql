-- Grain: one row per field item (a Jira issue, GitHub issue or PR raised by a field-level
-- person): when it reached management and COMEX, how long that took, or, when it has not
-- arrived yet, how long it has been waiting (right-censored at the as-of instant).
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

field_items as (
    select
        items.*,
        people.side as origin_side,
        people.team as origin_team
    from items
    inner join people on people.person_id = items.author_person_id
    where people.person_level = 'field'
        and not items.is_author_bot
),

first_reach as (
    select
        field_items.item_id,
        min(case when touchpoints.touchpoint_level = 'management' then touchpoints.touched_at end)
            as first_management_at,
        min(case when touchpoints.touchpoint_level = 'comex' then touchpoints.touched_at end)
            as first_comex_at
    from field_items
    left join touchpoints
        on touchpoints.item_id = field_items.item_id
        and touchpoints.touched_at >= field_items.created_at
    group by field_items.item_id
),

final as (
    select
        field_items.item_id,
        threads.thread_id,
        field_items.source_system,
        field_items.item_kind,
        field_items.title,
        field_items.html_url,
        field_items.is_critical,
        field_items.author_person_id as origin_person_id,
        field_items.origin_side,
        field_items.origin_team,
        field_items.created_at as field_at,
        first_reach.first_management_at,
        first_reach.first_comex_at,
        first_reach.first_management_at is not null as has_reached_management,
        first_reach.first_comex_at is not null as has_reached_comex,
        {{ hours_between('field_items.created_at', 'first_reach.first_management_at') }}
            as field_to_management_hours,
        {{ hours_between('field_items.created_at', 'first_reach.first_comex_at') }}
            as field_to_comex_hours,
        -- for survival estimates: time observed, and whether the event (COMEX) happened
        {{ hours_between('field_items.created_at',
            'coalesce(first_reach.first_comex_at, as_of.as_of_at)') }} as observed_hours,
        as_of.as_of_at
    from field_items
    inner join first_reach on first_reach.item_id = field_items.item_id
    left join threads on threads.item_id = field_items.item_id
    cross join as_of
)

select * from final
