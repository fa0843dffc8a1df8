-- Grain: one row per item: the thread (connected component of items linked by explicit
-- references, in either direction) it belongs to. thread_id is the smallest item_id in it.
with recursive

links as (
    select from_item_id, to_item_id from {{ ref('int_references_resolved') }}
    where from_item_id not like 'notes:%'
),

edges as (
    select from_item_id as item_id, to_item_id as linked_item_id from links
    union
    select to_item_id as item_id, from_item_id as linked_item_id from links
),

items as (
    select item_id from {{ ref('int_items') }}
),

reach (item_id, linked_item_id) as (
    select item_id, item_id from items
    union
    select reach.item_id, edges.linked_item_id
    from reach
    inner join edges on edges.item_id = reach.linked_item_id
),

final as (
    select item_id, min(linked_item_id) as thread_id, count(*) as thread_size
    from reach
    group by item_id
)

select * from final
