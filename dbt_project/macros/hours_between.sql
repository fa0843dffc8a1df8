{#- Hours from `start` to `finish` (timestamps), as a double; null when either is null. -#}
{% macro hours_between(start, finish) -%}
    {{ return(adapter.dispatch('hours_between', 'silo_signals')(start, finish)) }}
{%- endmacro %}

{% macro default__hours_between(start, finish) -%}
    (extract(epoch from {{ finish }}) - extract(epoch from {{ start }})) / 3600.0
{%- endmacro %}

{#- PostgreSQL's extract gives numeric: cast, so both warehouses hold a double. -#}
{% macro postgres__hours_between(start, finish) -%}
    cast(extract(epoch from {{ finish }}) - extract(epoch from {{ start }}) as double precision)
    / 3600.0
{%- endmacro %}
