{#- Portable helpers of the marts, in SQL both DuckDB and PostgreSQL run (no
    date_trunc('week'), whose meaning differs between databases and dialect helpers). -#}

{#- The Monday (a date) of the ISO week holding timestamp `ts` (UTC). -#}
{% macro iso_week_start(ts) -%}
    (cast({{ ts }} as date) - cast(extract(isodow from {{ ts }}) as integer) + 1)
{%- endmacro %}

{#- The first day (a date) of the month holding timestamp `ts` (UTC). -#}
{% macro first_day_of_month(ts) -%}
    cast({{ dbt.date_trunc('month', ts) }} as date)
{%- endmacro %}

{#- How many rows of the group satisfy `condition`, as a bigint (the portable spelling of
    `count(*) filter (where ...)`). -#}
{% macro count_where(condition) -%}
    cast(sum(case when {{ condition }} then 1 else 0 end) as bigint)
{%- endmacro %}
