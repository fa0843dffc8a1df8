-- Grain: one row per moment an item reached a level (field, management, comex):
-- its creation, a comment or review on it, or a text referencing it (a minutes section
-- speaks at its meeting's level: comex and codir => comex, management => management,
-- team => field). Bots do not make touchpoints.
with

items as (
    select * from {{ ref('int_items') }}
),

documents as (
    select * from {{ ref('int_documents') }}
),

people as (
    select * from {{ ref('stg_directory__people') }}
),

links as (
    select * from {{ ref('int_references_resolved') }}
),

created as (
    select
        items.item_id,
        'created' as touchpoint_kind,
        people.person_level as touchpoint_level,
        items.author_person_id as person_id,
        items.item_id || '/body' as document_id,
        items.created_at as touched_at
    from items
    inner join people on people.person_id = items.author_person_id
    where not items.is_author_bot
),

attached as (
    select
        documents.item_id,
        documents.document_kind as touchpoint_kind,
        documents.document_level as touchpoint_level,
        documents.author_person_id as person_id,
        documents.document_id,
        documents.authored_at as touched_at
    from documents
    where documents.document_kind in ('comment', 'review')
        and not documents.is_author_bot
        and documents.document_level is not null
),

referenced as (
    select
        links.to_item_id as item_id,
        case when links.document_kind = 'minutes' then 'meeting' else 'reference' end
            as touchpoint_kind,
        links.document_level as touchpoint_level,
        links.author_person_id as person_id,
        links.document_id,
        links.authored_at as touched_at
    from links
    where not links.is_author_bot
        and links.document_level is not null
),

final as (
    select * from created
    union all
    select * from attached
    union all
    select * from referenced
)

select * from final
