{#- Cross-database helpers: every model builds on DuckDB (default) and PostgreSQL.
    Use these (or dbt's own `dbt.*` cross-database macros: dbt.datediff, dbt.dateadd,
    dbt.listagg, dbt.any_value, dbt.split_part, dbt.safe_cast, dbt.date_spine) instead
    of one warehouse's syntax. Plain SQL both accept needs no macro: `count(*) filter (where
    ...)`, `bool_or`, `string_agg(distinct x, ',' order by x)`, `with recursive ... union`,
    `date_trunc('week', ts)`, `md5(text)`, `distinct on`, `cast(x as type)`,
    `percentile_cont(p) within group (order by x)` (the median: p = 0.5). DuckDB-only, with
    no macro: `select * exclude` (list the columns, or `latest_version`), `qualify` (filter a
    window in an outer select), `group by all` (name the columns), `::` casts, lists, structs
    and `read_parquet` (sources only). tests/assert_cross_database_macros.sql checks each one.
    Portable but slow on PostgreSQL, which runs them row against row: `not in (select ...)`
    (write `not exists`) and `is not distinct from` (write `null_safe_equal`);
    tests/pipelines/test_warehouse_pg.py refuses both. -#}

{#- The Monday (a date) of the ISO week of timestamp or date `ts`. -#}
{% macro week_start(ts) -%}
    cast(date_trunc('week', {{ ts }}) as date)
{%- endmacro %}

{#- The first day (a date) of the month of timestamp or date `ts`. -#}
{% macro month_start(ts) -%}
    cast(date_trunc('month', {{ ts }}) as date)
{%- endmacro %}

{#- Seconds since 1970-01-01 UTC of timestamp `ts`, as a double. -#}
{% macro epoch_seconds(ts) -%}
    {{ return(adapter.dispatch('epoch_seconds', 'silo_signals')(ts)) }}
{%- endmacro %}

{% macro default__epoch_seconds(ts) -%}
    cast(extract(epoch from {{ ts }}) as float8)
{%- endmacro %}

{% macro postgres__epoch_seconds(ts) -%}
    cast(extract(epoch from {{ ts }}) as double precision)
{%- endmacro %}

{#- Whole days from date `start` to date `finish` (finish - start), an integer: date
    minus date is an integer of days in both warehouses. -#}
{% macro days_between(start, finish) -%}
    (cast({{ finish }} as date) - cast({{ start }} as date))
{%- endmacro %}

{#- Date `day` plus `n` days (an integer expression; negative goes back), a date. -#}
{% macro add_days(day, n) -%}
    (cast({{ day }} as date) + cast({{ n }} as integer))
{%- endmacro %}

{#- Whether text `expr` matches regular expression `pattern` (a SQL string literal) anywhere. -#}
{% macro regex_matches(expr, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'silo_signals')(expr, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(expr, pattern) -%}
    regexp_matches({{ expr }}, {{ pattern }})
{%- endmacro %}

{% macro postgres__regex_matches(expr, pattern) -%}
    ({{ expr }} ~ {{ pattern }})
{%- endmacro %}

{#- The first match of capture group 1 of `pattern` in text `expr`, or null when none. -#}
{% macro regex_extract(expr, pattern) -%}
    {{ return(adapter.dispatch('regex_extract', 'silo_signals')(expr, pattern)) }}
{%- endmacro %}

{% macro default__regex_extract(expr, pattern) -%}
    nullif(regexp_extract({{ expr }}, {{ pattern }}, 1), '')
{%- endmacro %}

{% macro postgres__regex_extract(expr, pattern) -%}
    (regexp_match({{ expr }}, {{ pattern }}))[1]
{%- endmacro %}

{#- An aggregate: a print of a group's values of text `expr`, whatever their order, that
    changes when any of them does (to tell which groups changed since the last build). Its
    value differs between warehouses; each compares with its own last build. -#}
{% macro rows_print(expr) -%}
    {{ return(adapter.dispatch('rows_print', 'silo_signals')(expr)) }}
{%- endmacro %}

{% macro default__rows_print(expr) -%}
    md5(string_agg({{ expr }}, ' ' order by {{ expr }}))
{%- endmacro %}

{#- A sum of 64-bit hashes: three times faster than sorting the texts into one md5. -#}
{% macro duckdb__rows_print(expr) -%}
    cast(sum(hash({{ expr }})) as varchar)
{%- endmacro %}

{#- `left` equals `right`, or both are null, as a join condition each warehouse can hash:
    DuckDB hashes `is not distinct from`; PostgreSQL does not, and runs a join on nullable
    columns written so as a nested loop (fct_latency_by_group's two, at the bench's large
    size: minutes), so there each side becomes text with nulls as chr(30), a plain equality.
-#}
{% macro null_safe_equal(left, right) -%}
    {{ return(adapter.dispatch('null_safe_equal', 'silo_signals')(left, right)) }}
{%- endmacro %}

{% macro default__null_safe_equal(left, right) -%}
    {{ left }} is not distinct from {{ right }}
{%- endmacro %}

{% macro postgres__null_safe_equal(left, right) -%}
    coalesce(cast({{ left }} as text), chr(30)) = coalesce(cast({{ right }} as text), chr(30))
{%- endmacro %}
