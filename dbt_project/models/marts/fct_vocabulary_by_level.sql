-- Grain: one row per (month, text scope, writer side, level): how much business and tech
-- vocabulary the annotated texts use (nlp annotations of int_documents). Scope `all_texts`
-- is every human text (minutes speak as side `minutes` at their meeting's level, so side
-- `minutes` at level `comex` is the COMEX minutes and their tech share); scope
-- `comex_framing_of_tech_items` is the COMEX-level minutes sections that cite an item raised
-- by the tech side: how tech subjects are framed when they reach COMEX.
with

annotations as (
    select * from {{ ref('stg_nlp__annotations') }}
),

documents as (
    select * from {{ ref('int_documents') }}
    where not is_author_bot
),

references_resolved as (
    select * from {{ ref('int_references_resolved') }}
),

items as (
    select * from {{ ref('int_items') }}
),

people as (
    select * from {{ ref('stg_directory__people') }}
),

annotated as (
    select
        documents.document_id,
        {{ month_start('documents.authored_at') }} as month_start,
        coalesce(
            documents.author_side,
            case when documents.document_kind = 'minutes' then 'minutes' else 'unknown' end
        ) as author_side,
        coalesce(documents.document_level, 'unknown') as document_level,
        annotations.n_words,
        annotations.business_term_count,
        annotations.tech_term_count
    from documents
    inner join annotations on annotations.document_id = documents.document_id
),

tech_items_at_comex as (
    select distinct references_resolved.document_id
    from references_resolved
    inner join items on items.item_id = references_resolved.to_item_id
    inner join people on people.person_id = items.author_person_id
    where references_resolved.document_kind = 'minutes'
        and references_resolved.document_level = 'comex'
        and people.side = 'tech'
),

scoped as (
    select annotated.*, 'all_texts' as text_kind from annotated
    union all
    select annotated.*, 'comex_framing_of_tech_items' as text_kind
    from annotated
    inner join tech_items_at_comex
        on tech_items_at_comex.document_id = annotated.document_id
),

totals as (
    select
        month_start,
        text_kind,
        author_side,
        document_level,
        count(*) as documents,
        cast(sum(n_words) as bigint) as words,
        cast(sum(business_term_count) as bigint) as business_terms,
        cast(sum(tech_term_count) as bigint) as tech_terms,
        {{ count_where("business_term_count > 0") }}
            as documents_with_business_terms,
        {{ count_where("tech_term_count > 0") }}
            as documents_with_tech_terms
    from scoped
    group by month_start, text_kind, author_side, document_level
),

final as (
    select
        totals.*,
        cast(business_terms as double precision) / nullif(words, 0) as business_term_share,
        cast(tech_terms as double precision) / nullif(words, 0) as tech_term_share,
        cast(business_terms as double precision) / nullif(business_terms + tech_terms, 0)
            as business_framing_share
    from totals
)

select * from final
