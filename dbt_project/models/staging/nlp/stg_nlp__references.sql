with

source as (
    select * from {{ source('nlp', 'references') }}
),

final as (
    select distinct
        document_id,
        ref_type as reference_type,
        raw as reference_text,
        item_id as referenced_item_id
    from source
)

select * from final
