{#- Whether this run of an incremental model updates its last build: dbt's is_incremental(),
    and the last build has `column` (one an older version of the model left rebuilds in full).
    In a unit test `this` is the given rows, taken as they are. -#}
{% macro incremental_over(column) -%}
    {%- if not is_incremental() -%}
        {{ return(false) }}
    {%- elif this is string -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set kept = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {{ return(column in kept) }}
{%- endmacro %}

{#- The condition on an `ingested_at` for a version landed after the newest the last build holds. -#}
{% macro landed_since_last_build() -%}
    > (select coalesce(max(ingested_at), cast('1900-01-01' as timestamp)) from {{ this }})
{%- endmacro %}
