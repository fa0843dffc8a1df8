-- Grain: one row per item: the thread (connected component of items linked by explicit
-- references, in either direction) it belongs to. thread_id is the smallest item_id in it.
--
-- Connected components by label propagation, unrolled over var('thread_rounds') rounds
-- (default 16): every linked item starts as its own label; in each round every label moves to
-- the smallest label found next to any of its items (hooking), then every item takes the
-- label of its label (pointer jumping). Each round is linear in the links, and a thread of n
-- items needs about log n rounds (a chain of 50,000 items, in any order: 15), so the cost grows
-- with links x rounds instead of items x thread size (the transitive closure it replaces). Items without a link are their own
-- thread without entering the rounds. Plain SQL (group by, joins, CTEs), portable across
-- warehouses. The data test `assert_threads_converged` fails, naming the links, if a thread
-- ever needs more rounds: raise `thread_rounds` then.
{%- set rounds = var('thread_rounds', 16) %}

with

links as (
    select from_item_id, to_item_id from {{ ref('int_references_resolved') }}
    where from_item_id not like 'notes:%'
),

edges as (
    select from_item_id as item_id, to_item_id as linked_item_id from links
    union
    select to_item_id as item_id, from_item_id as linked_item_id from links
),

nodes as (
    select distinct item_id from edges
),

-- each linked item with itself and its neighbours
neighbours as (
    select item_id, linked_item_id from edges
    union
    select item_id, item_id as linked_item_id from nodes
),

labels_0 as (
    select item_id, item_id as label from nodes
),
{% for r in range(1, rounds + 1) %}
-- round {{ r }}: the smallest label next to each item, next to each thread, then jump
hop_{{ r }} as (
    select neighbours.item_id, min(labels_{{ r - 1 }}.label) as label
    from neighbours
    inner join labels_{{ r - 1 }} on labels_{{ r - 1 }}.item_id = neighbours.linked_item_id
    group by neighbours.item_id
),

best_{{ r }} as (
    select labels_{{ r - 1 }}.label, min(hop_{{ r }}.label) as best
    from labels_{{ r - 1 }}
    inner join hop_{{ r }} on hop_{{ r }}.item_id = labels_{{ r - 1 }}.item_id
    group by labels_{{ r - 1 }}.label
),

moved_{{ r }} as (
    select labels_{{ r - 1 }}.item_id, best_{{ r }}.best as label
    from labels_{{ r - 1 }}
    inner join best_{{ r }} on best_{{ r }}.label = labels_{{ r - 1 }}.label
),

labels_{{ r }} as (
    select moved_{{ r }}.item_id, jump.label
    from moved_{{ r }}
    inner join moved_{{ r }} as jump on jump.item_id = moved_{{ r }}.label
),
{% endfor %}
labels as (
    select item_id, label from labels_{{ rounds }}
),

thread_sizes as (
    select label, count(*) as thread_size from labels group by label
),

items as (
    select item_id from {{ ref('int_items') }}
),

final as (
    select
        items.item_id,
        coalesce(labels.label, items.item_id) as thread_id,
        coalesce(thread_sizes.thread_size, 1) as thread_size
    from items
    left join labels on labels.item_id = items.item_id
    left join thread_sizes on thread_sizes.label = labels.label
)

select * from final
