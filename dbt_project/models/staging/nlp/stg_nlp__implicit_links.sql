-- Grain: one row per (item, meeting): a management or COMEX minutes passage that discusses
-- the item without citing it (nlp/links.py), with its score and evidence.
with

source as (
    select * from {{ source('nlp', 'implicit_links') }}
),

final as (
    select distinct
        item_id,
        document_id,
        meeting_id,
        meeting_level,
        cast(linked_at as timestamp) as linked_at,
        score as link_score,
        term_score,
        matched_terms,
        shared_entities,
        shared_person_ids,
        passage,
        days_after
    from source
)

select * from final
