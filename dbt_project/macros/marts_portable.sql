{#- Portable helpers of the marts, in SQL both DuckDB and PostgreSQL run (dates go through macros/cross_database.sql). -#}

{#- How many rows of the group satisfy `condition`, as a bigint (the portable spelling of
    `count(*) filter (where ...)`). -#}
{% macro count_where(condition) -%}
    cast(sum(case when {{ condition }} then 1 else 0 end) as bigint)
{%- endmacro %}
