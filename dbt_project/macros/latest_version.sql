{#- Keep one row per natural key: the latest version landed (ingestion may land a record in
    several day partitions; a re-run never duplicates because staging keeps only one).
    `order_by` must say where nulls go (`desc nulls last`): the two warehouses differ. -#}
{% macro latest_version(relation, key, order_by) -%}
    {{ return(adapter.dispatch('latest_version', 'silo_signals')(relation, key, order_by)) }}
{%- endmacro %}

{% macro default__latest_version(relation, key, order_by) -%}
    select * exclude (version_rank)
    from (
        select
            *,
            row_number() over (partition by {{ key }} order by {{ order_by }}) as version_rank
        from {{ relation }}
    )
    where version_rank = 1
{%- endmacro %}

{#- PostgreSQL has no `select * exclude`: `distinct on` keeps the first row per key. -#}
{% macro postgres__latest_version(relation, key, order_by) -%}
    select distinct on ({{ key }}) *
    from {{ relation }}
    order by {{ key }}, {{ order_by }}
{%- endmacro %}
