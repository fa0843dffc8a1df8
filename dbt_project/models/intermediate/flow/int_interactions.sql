-- Grain: one row per interaction: a comment or review by a person on an item authored by
-- another person (bots and unresolved authors excluded), with both sides and teams.
-- Incremental: each row keeps `interaction_print`, a print of the row; a run computes every
-- interaction and writes only those whose print changed or is new, and removes those no
-- longer found (`stored_by_print`, which also configures the model): writing the 486k rows
-- was most of this model's time.
with

documents as (
    select * from {{ ref('int_documents') }}
    where document_kind in ('comment', 'review')
),

items as (
    select * from {{ ref('int_items') }}
),

people as (
    select * from {{ ref('stg_directory__people') }}
),

found as (
    select
        documents.document_id as interaction_id,
        documents.item_id,
        documents.authored_at as interacted_at,
        {{ week_start('documents.authored_at') }} as week_start,
        documents.author_person_id as from_person_id,
        from_person.side as from_side,
        from_person.team as from_team,
        items.author_person_id as to_person_id,
        to_person.side as to_side,
        to_person.team as to_team,
        from_person.side <> to_person.side as is_cross_side,
        from_person.team <> to_person.team as is_cross_team
    from documents
    inner join items on items.item_id = documents.item_id
    inner join people as from_person on from_person.person_id = documents.author_person_id
    inner join people as to_person on to_person.person_id = items.author_person_id
    where not documents.is_author_bot
        and not items.is_author_bot
        and not from_person.is_bot
        and not to_person.is_bot
        and documents.author_person_id <> items.author_person_id
)
{{ stored_by_print(
    'interaction_id',
    ['interaction_id', 'item_id', 'interacted_at', 'week_start', 'from_person_id',
     'from_side', 'from_team', 'to_person_id', 'to_side', 'to_team', 'is_cross_side',
     'is_cross_team'],
    'interaction_print',
) }}
