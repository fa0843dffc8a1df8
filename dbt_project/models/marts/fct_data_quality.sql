-- Grain: one row per (mart, exclusion rule): how many rows of its population a mart leaves
-- out by a rule, and how many of them are critical, so what is not measured is counted
-- rather than dropped quietly. fct_information_flow keeps items raised by a field-level,
-- human directory person; items whose author is unknown (null: a deleted account, or a login
-- the directory does not resolve) or whose author has no known level are counted here.
with

items as (
    select * from {{ ref('int_items') }}
),

people as (
    select * from {{ ref('stg_directory__people') }}
),

classified as (
    select
        items.item_id,
        items.is_critical,
        case
            when items.is_author_bot then null
            when items.author_person_id is null then 'author_unknown'
            when people.person_id is null then 'author_not_in_directory'
            when people.person_level is null
                or people.person_level not in ('field', 'management', 'comex')
                then 'author_level_unknown'
        end as exclusion_rule
    from items
    left join people on people.person_id = items.author_person_id
),

rules as (
    select * from (values
        ('author_unknown', 'item author is null (deleted account) or resolves to no person'),
        ('author_not_in_directory', 'item author id is not a person of the directory'),
        ('author_level_unknown', 'item author has no level (field, management, comex)')
    ) as rules (exclusion_rule, exclusion_reason)
),

final as (
    select
        'fct_information_flow' as mart,
        rules.exclusion_rule,
        rules.exclusion_reason,
        count(classified.item_id) as excluded_rows,
        count(case when classified.is_critical then 1 end) as excluded_critical_rows
    from rules
    left join classified on classified.exclusion_rule = rules.exclusion_rule
    group by rules.exclusion_rule, rules.exclusion_reason
)

select * from final
