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

{#- The condition on a row whose landed version (`ingested_at`) is not the one the last build
    holds for its key: a version landed since, or, a landed file gone, an older one again. Per
    key rather than against the newest time held, so a clock set back between two landings
    loses nothing. -#}
{% macro not_in_last_build(key_column, key, ingested_at) -%}
    not exists (
        select 1 from {{ this }} as last_build
        where last_build.{{ key_column }} = {{ key }}
            and last_build.ingested_at = {{ ingested_at }}
    )
{%- endmacro %}
