-- int_threads computes threads in a bounded number of rounds (var thread_rounds): every
-- link between two items must end inside one thread. A row here is a link whose two items
-- got different threads: a chain longer than the rounds reach; raise thread_rounds.
select
    links.from_item_id,
    links.to_item_id,
    from_thread.thread_id as from_thread_id,
    to_thread.thread_id as to_thread_id
from {{ ref('int_references_resolved') }} as links
inner join {{ ref('int_threads') }} as from_thread on from_thread.item_id = links.from_item_id
inner join {{ ref('int_threads') }} as to_thread on to_thread.item_id = links.to_item_id
where links.from_item_id not like 'notes:%'
    and from_thread.thread_id <> to_thread.thread_id
