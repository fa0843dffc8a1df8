-- Grain: one row per moment an item reached a level (field, management, comex):
-- its creation, a comment or review on it, or a text referencing it (a minutes section
-- speaks at its meeting's level: comex and codir => comex, management => management,
-- team => field). Bots do not make touchpoints.
-- link_kind says what makes the touchpoint: 'explicit' (the item itself, a comment on it, a
-- text citing it) or 'implicit' (a management or COMEX minutes passage that discusses it
-- without citing it, nlp/links.py, with link_score). Explicit wins: a meeting that cites the
-- item anywhere gives it no implicit touchpoint.
--
-- Incremental: each row keeps `item_print`, a print of all its item's touchpoints. A run
-- computes every touchpoint (a fifth of a second at a year of a 1,000-person company) and
-- writes only the items whose print changed or is new, and removes the items no longer
-- touched (`stored_by_print`, which also configures the model): writing all 916k rows was
-- most of this model's time, and a day changes about 2 % of the items.
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

implicit_links as (
    select * from {{ ref('stg_nlp__implicit_links') }}
),

created as (
    select
        items.item_id,
        'created' as touchpoint_kind,
        people.person_level as touchpoint_level,
        items.author_person_id as person_id,
        items.item_id || '/body' as document_id,
        items.created_at as touched_at,
        'explicit' as link_kind,
        cast(null as float8) as link_score
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
        documents.authored_at as touched_at,
        'explicit' as link_kind,
        cast(null as float8) as link_score
    from documents
    -- a comment whose item never landed (quarantined, deleted) is no item's touchpoint
    inner join items on items.item_id = documents.item_id
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
        links.authored_at as touched_at,
        'explicit' as link_kind,
        cast(null as float8) as link_score
    from links
    where not links.is_author_bot
        and links.document_level is not null
),

implied as (
    select
        implicit_links.item_id,
        'meeting' as touchpoint_kind,
        implicit_links.meeting_level as touchpoint_level,
        cast(null as varchar) as person_id,
        implicit_links.document_id,
        implicit_links.linked_at as touched_at,
        'implicit' as link_kind,
        implicit_links.link_score
    from implicit_links
    inner join items on items.item_id = implicit_links.item_id
    where not exists (
        select 1 from links as cited
        where cited.to_item_id = implicit_links.item_id
            and cited.meeting_id = implicit_links.meeting_id
    )
),

found as (
    select * from created
    union all
    select * from attached
    union all
    select * from referenced
    union all
    select * from implied
)
{{ stored_by_print(
    'item_id',
    ['item_id', 'touchpoint_kind', 'touchpoint_level', 'person_id', 'document_id', 'touched_at',
     'link_kind', 'link_score'],
    'item_print',
) }}
