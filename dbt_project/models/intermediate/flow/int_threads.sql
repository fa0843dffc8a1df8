-- Grain: one row per item: the thread (connected component of items linked by explicit
-- references, in either direction) it belongs to. thread_id is the smallest item_id in it.
--
-- Connected components by label propagation, unrolled over var('thread_rounds') rounds
-- (default 16): every linked item starts as its own label; in each round every label moves to
-- the smallest label found next to any of its items (hooking), then every item takes the
-- label of its label (pointer jumping). Each round is linear in the links, and a thread of n
-- items needs about log n rounds (a chain of 50,000 items, in any order: 15), so the cost grows
-- with links x rounds instead of items x thread size (the transitive closure it replaces).
-- Items without a link are their own thread without entering the rounds. Plain SQL (group
-- by, joins, CTEs), portable across warehouses. The data test `assert_threads_converged`
-- fails, naming the links, if a thread ever needs more rounds: raise `thread_rounds` then.
--
-- Incremental: each row keeps `link_print`, a print of the items its item links to. A run
-- re-threads only the items whose print changed (a link added or removed changes both ends'),
-- new items, and every item of the threads those were in; these hold whole threads (a link
-- not added since joins two items of one old thread), so the rounds run on them alone and
-- their rows replace the old ones. Items gone from int_items are deleted (post-hook, by
-- `not exists`: PostgreSQL runs a `not in` subquery that outgrows work_mem row by row,
-- quadratic; at the bench's large size, 223,867 items, it ran for minutes).
{{
    config(
        materialized='incremental',
        unique_key='item_id',
        incremental_strategy='delete+insert',
        on_schema_change='sync_all_columns',
        post_hook=(
            "delete from {{ this }} as gone where not exists"
            " (select 1 from {{ ref('int_items') }} as items where items.item_id = gone.item_id)"
        ),
    )
}}
{%- set rounds = var('thread_rounds', 16) %}
{%- set incremental = incremental_over('link_print') %}

with

items as (
    select item_id from {{ ref('int_items') }}
),

-- links between two items (a comment on an item that never landed links nothing)
links as (
    select references_resolved.from_item_id, references_resolved.to_item_id
    from {{ ref('int_references_resolved') }} as references_resolved
    inner join items as from_items on from_items.item_id = references_resolved.from_item_id
    where references_resolved.from_item_id not like 'notes:%'
),

all_edges as (
    select from_item_id as item_id, to_item_id as linked_item_id from links
    union
    select to_item_id as item_id, from_item_id as linked_item_id from links
),

-- what each linked item links to, as one print (compared with the last build's)
prints as (
    select
        item_id,
        md5(string_agg(linked_item_id, ' ' order by linked_item_id)) as link_print
    from all_edges
    group by item_id
),
{% if incremental %}
previous as (
    select item_id, thread_id, link_print from {{ this }}
),

changed as (
    select items.item_id
    from items
    left join prints on prints.item_id = items.item_id
    left join previous on previous.item_id = items.item_id
    where previous.item_id is null
        or prints.link_print is distinct from previous.link_print
),

-- the changed items and every item of the threads they were in
scope as (
    select item_id from changed
    union
    select previous.item_id
    from previous
    where previous.thread_id in (
        select previous.thread_id
        from previous
        inner join changed on changed.item_id = previous.item_id
    )
),
{% endif %}
-- the links the rounds run on: every one, or those of the items in scope
edges as (
    select * from all_edges
    {%- if incremental %}
    where item_id in (select item_id from scope)
    {%- endif %}
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

final as (
    select
        items.item_id,
        coalesce(labels.label, items.item_id) as thread_id,
        coalesce(thread_sizes.thread_size, 1) as thread_size,
        prints.link_print
    from items
    left join labels on labels.item_id = items.item_id
    left join thread_sizes on thread_sizes.label = labels.label
    left join prints on prints.item_id = items.item_id
    {%- if incremental %}
    where items.item_id in (select item_id from scope)
    {%- endif %}
)

select * from final
