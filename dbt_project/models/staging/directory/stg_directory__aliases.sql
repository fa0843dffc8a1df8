with

source as (
    select * from {{ source('directory', 'aliases') }}
),

final as (
    select distinct
        alias_id,
        person_id,
        source as alias_source,
        alias,
        alias_normalised
    from source
)

select * from final
