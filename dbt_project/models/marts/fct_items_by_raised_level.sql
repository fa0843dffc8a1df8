-- Grain: one row per level of the person who raised items (field, management, comex): how
-- many items, how many critical, how many reached COMEX (and through an implicit link only).
-- Only field-raised items are in the field -> COMEX latency; the report shows the others here.
with

flow as (
    select * from {{ ref('fct_information_flow') }}
),

final as (
    select
        raised_level,
        case raised_level when 'field' then 0 when 'management' then 1 else 2 end as level_order,
        raised_level = 'field' as in_latency,
        count(*) as items,
        count(case when is_critical then 1 end) as critical,
        count(case when has_reached_comex then 1 end) as reached_comex,
        count(case when comex_link_kind = 'implicit' then 1 end) as via_implicit_link
    from flow
    group by raised_level
)

select * from final
