{#
    The identity join, written once: `left join` int_identities as `alias` on a login,
    account id or e-mail seen in `alias_source` (github, jira or email). Keys compare
    lower-cased on both sides (int_identities lower-cases the directory's aliases), so
    `Ana-Dev` and `ana-dev` are the same login. Yields person_id, side, person_level,
    team, is_bot and is_ambiguous under `alias`.
#}
{% macro join_identity(alias, alias_source, key) -%}
left join {{ ref('int_identities') }} as {{ alias }}
    on {{ alias }}.alias_source = '{{ alias_source }}'
    and {{ alias }}.alias_key = lower({{ key }})
{%- endmacro %}
