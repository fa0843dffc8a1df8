-- Grain: one row per (alias_source, alias_key): how a login, account id or e-mail seen in a
-- source maps to a person of the directory. Names as written in minutes are resolved in
-- Python (pipelines/sources/directory/identity.py), not here.
with

aliases as (
    select * from {{ ref('stg_directory__aliases') }}
),

people as (
    select * from {{ ref('stg_directory__people') }}
),

keyed as (
    select
        case when alias_source = 'email' then 'jira' else alias_source end as alias_source,
        lower(alias) as alias_key,
        person_id
    from aliases
    where alias_source in ('github', 'jira', 'email')
    union
    -- e-mails also identify GitHub commit authors and Jira Server users
    select 'email' as alias_source, lower(alias) as alias_key, person_id
    from aliases
    where alias_source = 'email'
),

unambiguous as (
    select alias_source, alias_key, min(person_id) as person_id, count(distinct person_id) as candidates
    from keyed
    group by alias_source, alias_key
),

final as (
    select
        unambiguous.alias_source,
        unambiguous.alias_key,
        case when unambiguous.candidates = 1 then unambiguous.person_id end as person_id,
        unambiguous.candidates > 1 as is_ambiguous,
        people.side,
        people.person_level,
        people.team,
        people.is_bot
    from unambiguous
    left join people
        on unambiguous.candidates = 1 and people.person_id = unambiguous.person_id
)

select * from final
