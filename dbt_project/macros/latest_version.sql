{#- Keep one row per natural key: the latest version landed (ingestion may land a record in
    several day partitions; a re-run never duplicates because staging keeps only one). -#}
{% macro latest_version(relation, key, order_by) -%}
    select * exclude (version_rank)
    from (
        select
            *,
            row_number() over (partition by {{ key }} order by {{ order_by }}) as version_rank
        from {{ relation }}
    )
    where version_rank = 1
{%- endmacro %}
