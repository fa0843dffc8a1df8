with

source as (
    select * from {{ source('directory', 'owners') }}
),

final as (
    select distinct
        domain as decision_domain,
        role as owner_role
    from source
)

select * from final
