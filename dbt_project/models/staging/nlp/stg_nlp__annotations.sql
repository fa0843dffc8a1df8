with

source as (
    select * from {{ source('nlp', 'annotations') }}
),

final as (
    select
        document_id,
        text_hash,
        language,
        n_words,
        business_terms as business_term_count,
        tech_terms as tech_term_count,
        business_share,
        tech_share
    from source
)

select * from final
