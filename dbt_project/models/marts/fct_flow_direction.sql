-- Grain: one row per month raised (items created that month by a human directory person).
-- Items raised by the business group (every side but tech: business, product, leadership)
-- and handled by tech (at least one comment or review by a tech person, int_interactions),
-- and the converse; the month's pattern says whether work flows both ways or only one way
-- ("top-down only": business asks tech, tech never brings anything to business).
with

items as (
    select * from {{ ref('int_items') }}
    where not is_author_bot
),

people as (
    select * from {{ ref('stg_directory__people') }}
),

interactions as (
    select * from {{ ref('int_interactions') }}
),

handled as (
    select
        item_id,
        max(case when from_side = 'tech' then 1 else 0 end) as by_tech,
        max(case when from_side <> 'tech' then 1 else 0 end) as by_business
    from interactions
    group by item_id
),

raised as (
    select
        items.item_id,
        {{ month_start('items.created_at') }} as month_raised,
        case when people.side = 'tech' then 'tech' else 'business' end as raised_by_group,
        coalesce(handled.by_tech, 0) as by_tech,
        coalesce(handled.by_business, 0) as by_business
    from items
    inner join people on people.person_id = items.author_person_id
    left join handled on handled.item_id = items.item_id
    where not people.is_bot and people.side is not null
),

monthly as (
    select
        month_raised,
        {{ count_where("raised_by_group = 'business'") }} as business_raised_items,
        {{ count_where("raised_by_group = 'tech'") }} as tech_raised_items,
        {{ count_where("raised_by_group = 'business' and by_tech = 1") }}
            as business_to_tech_items,
        {{ count_where("raised_by_group = 'tech' and by_business = 1") }}
            as tech_to_business_items
    from raised
    group by month_raised
),

final as (
    select
        monthly.*,
        case
            when business_to_tech_items > 0 and tech_to_business_items > 0 then 'two-way'
            when business_to_tech_items > 0 then 'top-down only'
            when tech_to_business_items > 0 then 'bottom-up only'
            else 'no cross-side flow'
        end as flow_kind
    from monthly
)

select * from final
