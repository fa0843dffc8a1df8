-- Grain: one row per moment an item reached a level: the rows of int_touchpoints_found (what
-- makes a touchpoint is said there), stored.
--
-- Incremental: each row keeps `item_print`, a print of all its item's touchpoints. A run
-- computes every touchpoint (the view: under a second at a year of a 1,000-person company)
-- and writes only the items whose print changed or is new: their rows replace the old ones.
-- An item left with no touchpoint is deleted (post-hook). Writing 916k rows was most of this
-- model's time; a day changes a few percent of the items.
{{
    config(
        materialized='incremental',
        unique_key='item_id',
        incremental_strategy='delete+insert',
        on_schema_change='sync_all_columns',
        post_hook=(
            "delete from {{ this }} where item_id not in"
            " (select item_id from {{ ref('int_touchpoints_found') }})"
        ),
    )
}}
{%- set incremental = incremental_over('item_print') %}

with

touchpoints as (
    select
        found.*,
        -- one row as text, every column spelled (a null as '-'), for the item's print
        concat_ws('|',
            found.touchpoint_kind,
            found.touchpoint_level,
            coalesce(found.person_id, '-'),
            coalesce(found.document_id, '-'),
            coalesce(cast(found.touched_at as varchar), '-'),
            found.link_kind,
            coalesce(cast(found.link_score as varchar), '-')
        ) as row_text
    from {{ ref('int_touchpoints_found') }} as found
),

prints as (
    select item_id, {{ rows_print('row_text') }} as item_print
    from touchpoints
    group by item_id
),

-- the items to write: all of them in a full build, else those whose print is new
changed as (
    select item_id, item_print
    from prints
    {%- if incremental %}
    where not exists (
        select 1 from {{ this }} as last_build
        where last_build.item_id = prints.item_id
            and last_build.item_print = prints.item_print
    )
    {%- endif %}
),

final as (
    select
        touchpoints.item_id,
        touchpoints.touchpoint_kind,
        touchpoints.touchpoint_level,
        touchpoints.person_id,
        touchpoints.document_id,
        touchpoints.touched_at,
        touchpoints.link_kind,
        touchpoints.link_score,
        changed.item_print
    from touchpoints
    inner join changed on changed.item_id = touchpoints.item_id
)

select * from final
