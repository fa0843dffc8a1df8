-- Grain: one row per (document, referenced item): an explicit reference (Jira key, #123,
-- owner/repo#123, URL) from a text to an item that exists in the warehouse. GitHub owner and
-- repository names are case-insensitive (`nodejs/tsc#5` is `nodejs/TSC#5`): ids are matched
-- lower-cased and the item's own id is kept.
with

references_found as (
    select * from {{ ref('stg_nlp__references') }}
    where referenced_item_id is not null
),

documents as (
    select * from {{ ref('int_documents') }}
),

items as (
    select * from {{ ref('int_items') }}
),

final as (
    select distinct
        documents.document_id,
        documents.item_id as from_item_id,
        items.item_id as to_item_id,
        documents.document_kind,
        documents.document_level,
        documents.author_person_id,
        documents.is_author_bot,
        documents.meeting_id,
        documents.authored_at
    from references_found
    inner join documents on documents.document_id = references_found.document_id
    inner join items on lower(items.item_id) = lower(references_found.referenced_item_id)
    where lower(documents.item_id) <> lower(items.item_id)
)

select * from final
