-- The cross-database macros (macros/cross_database.sql, hours_between), and the plain SQL
-- they document as portable, give the same answer on every warehouse `dbt build` runs on:
-- one row per macro (or construct) whose result is wrong.
-- Reads one row of a pre-NLP model so the check runs (and shows) with the staging models.
with

anchor as (
    select count(*) as people from {{ ref('stg_directory__people') }}
),

cases as (
    select
        cast('2026-03-04 15:30:00' as timestamp) as ts,
        cast('2026-03-01' as date) as day
    from anchor
),

samples as (
    select
        {{ week_start('ts') }} as week_start,
        {{ month_start('ts') }} as month_start,
        {{ epoch_seconds('ts') }} as epoch_seconds,
        {{ hours_between('cast(day as timestamp)', 'ts') }} as hours_between,
        {{ days_between('day', 'ts') }} as days_between,
        {{ add_days('day', -1) }} as add_days,
        {{ regex_matches("'SUP-12 fixed'", "'^[A-Z]+-[0-9]+'") }} as regex_matches,
        {{ regex_matches("'fixed'", "'^[A-Z]+-[0-9]+'") }} as regex_not_matches,
        {{ regex_extract("'see SUP-12 now'", "'([A-Z]+-[0-9]+)'") }} as regex_extract,
        {{ regex_extract("'nothing'", "'([A-Z]+-[0-9]+)'") }} as regex_extract_none,
        {{ null_safe_equal("cast(null as varchar)", "cast(null as varchar)") }} as both_null,
        {{ null_safe_equal("cast(null as date)", "day") }} as one_null,
        {{ null_safe_equal("day", "cast('2026-03-01' as date)") }} as same_day,
        {{ null_safe_equal("day", "cast('2026-03-02' as date)") }} as other_day
    from cases
),

quantiles as (
    select
        percentile_cont(0.5) within group (order by value) as median,
        percentile_cont(0.75) within group (order by value) as p75
    from (values (1.0), (2.0), (3.0), (10.0), (cast(null as double precision))) as v (value)
),

checks as (
    select 'week_start' as macro_name, week_start = cast('2026-03-02' as date) as ok from samples
    union all
    select 'month_start', month_start = cast('2026-03-01' as date) from samples
    union all
    select 'epoch_seconds', epoch_seconds = 1772638200.0 from samples
    union all
    select 'hours_between', hours_between = 87.5 from samples
    union all
    select 'days_between', days_between = 3 from samples
    union all
    select 'add_days', add_days = cast('2026-02-28' as date) from samples
    union all
    select 'regex_matches', regex_matches and not regex_not_matches from samples
    union all
    select 'regex_extract', regex_extract = 'SUP-12' and regex_extract_none is null from samples
    union all
    select 'percentile_cont', median = 2.5 and p75 = 4.75 from quantiles
    union all
    select 'null_safe_equal', both_null and not one_null and same_day and not other_day
    from samples
)

select macro_name from checks where not coalesce(ok, false)
