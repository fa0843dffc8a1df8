with

source as (
    select * from {{ source('directory', 'roles') }}
),

final as (
    select distinct
        role_id,
        role,
        person_id,
        cast(valid_from as date) as valid_from,
        cast(valid_to as date) as valid_to
    from source
)

select * from final
