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

{#- The end of a model that computes all its rows in CTE `found` and writes only what changed
    (for models cheap to compute and costly to write), and that model's configuration: an
    incremental model, delete+insert on `key`. Each row keeps `print_column`, a print
    (`rows_print`) of all the rows of its `key`. A full build writes every row. An incremental
    one writes the rows of the keys whose print is new, and for each key of the last build no
    longer found one empty row (null print), so the delete removes its rows; the post-hook
    set here (`stored_by_print_cleanup`) deletes those empty rows. Called after the model's
    CTEs, as `with ..., found as (...) {{ stored_by_print(...) }}`; `columns`: the columns of
    `found`, in order. -#}
{% macro stored_by_print(key, columns, print_column) -%}
{{ config(
    materialized='incremental',
    unique_key=key,
    incremental_strategy='delete+insert',
    on_schema_change='sync_all_columns',
    post_hook="{{ stored_by_print_cleanup('" ~ print_column ~ "') }}",
) }}
{%- set incremental = incremental_over(print_column) %},

found_as_text as (
    select
        found.*,
        -- one row as text, every column spelled (a null as '-')
        concat_ws('|'
            {%- for column in columns %}, coalesce(cast(found.{{ column }} as varchar), '-')
            {%- endfor %}) as row_text
    from found
),

prints as (
    select {{ key }}, {{ rows_print('row_text') }} as {{ print_column }}
    from found_as_text
    group by {{ key }}
),

-- the keys to write: all of them in a full build, else those whose print is new
changed as (
    select {{ key }}, {{ print_column }}
    from prints
    {%- if incremental %}
    where not exists (
        select 1 from {{ this }} as last_build
        where last_build.{{ key }} = prints.{{ key }}
            and last_build.{{ print_column }} = prints.{{ print_column }}
    )
    {%- endif %}
)

select
    {%- for column in columns %}
    found_as_text.{{ column }},
    {%- endfor %}
    changed.{{ print_column }}
from found_as_text
inner join changed on changed.{{ key }} = found_as_text.{{ key }}
{%- if incremental %}
union all
-- the keys no longer found: one empty row each
select
    {%- for column in columns %}
    {% if column == key %}gone.{{ key }}{% else %}null{% endif %},
    {%- endfor %}
    null
from (
    select distinct last_build.{{ key }}
    from {{ this }} as last_build
    where not exists (select 1 from prints where prints.{{ key }} = last_build.{{ key }})
) as gone
{%- endif %}
{%- endmacro %}

{#- The post-hook of a `stored_by_print` model: the empty rows of the keys no longer found. -#}
{% macro stored_by_print_cleanup(print_column) -%}
    delete from {{ this }} where {{ print_column }} is null
{%- endmacro %}
