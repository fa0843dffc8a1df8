"""The CTO report from a small hand-built fct_information_flow: figures, tables, HTML."""

from datetime import datetime

import duckdb
import pytest

from pipelines.publish.report import build_report, markdown_table, render_html, survival_svg

ROWS = [
    # item, critical, side, field_at, reached, hours to comex, observed hours
    ("jira:SUP-1", True, "business", "2026-03-01 09:00", True, 48.0, 48.0),
    ("jira:SUP-2", True, "business", "2026-03-02 09:00", True, 240.0, 240.0),
    ("jira:SUP-3", True, "tech", "2026-04-01 09:00", False, None, 600.0),
    ("github:a/b#4", False, "tech", "2026-04-02 09:00", True, 24.0, 24.0),
]


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute(
        """
        create table fct_information_flow (
            item_id varchar, title varchar, html_url varchar, origin_team varchar,
            is_critical boolean, origin_side varchar, field_at timestamp,
            has_reached_comex boolean, field_to_comex_hours double, observed_hours double,
            first_comex_at timestamp, as_of_at timestamp,
            raised_level varchar default 'field', in_latency_population boolean default true,
            comex_link_kind varchar, comex_link_score double,
            has_reached_comex_explicit boolean, observed_explicit_hours double)
        """
    )
    for item, critical, side, at, reached, hours, observed in ROWS:
        con.execute(
            "insert into fct_information_flow values (?, ?, ?, 'Support', ?, ?, ?, ?, ?, ?,"
            " null, '2026-05-01 00:00', 'field', true, ?, null, ?, ?)",
            [item, f"<b>{item}</b>", "https://x", critical, side, at, reached, hours, observed,
             "explicit" if reached else None, reached, observed],
        )  # fmt: skip
    # the mart dbt derives from those rows (its unit test pins the derivation)
    con.execute(
        """
        create table fct_latency_monthly as select * from (values
            (date '2026-03-01', 2, 2, 2, 144.0, 6.0),
            (date '2026-04-01', 2, 1, 1, 24.0, 1.0)
        ) as t (month_start, field_items, critical_items, reached_comex,
                median_hours_when_reached, median_days_when_reached)
        """
    )
    _raised_by_level(con)
    yield con
    con.close()


def _raised_by_level(con):
    """fct_items_by_raised_level as dbt derives it from the rows (its SQL is one group by)."""
    con.execute(
        """
        create or replace table fct_items_by_raised_level as
        select raised_level, case raised_level when 'field' then 0 when 'management' then 1
               else 2 end as level_order, raised_level = 'field' as in_latency,
               count(*) as items, count(case when is_critical then 1 end) as critical,
               count(case when has_reached_comex then 1 end) as reached_comex,
               count(case when comex_link_kind = 'implicit' then 1 end) as via_implicit_link
        from fct_information_flow group by raised_level
        """
    )


def test_populations_use_censoring_and_show_the_median_of_arrived_items(con):
    report = build_report(con)
    critical = report.population("critical items").row()
    assert critical["items"] == 3 and critical["reached_comex"] == 2
    # Kaplan-Meier: S(48h) = 2/3, S(240h) = 1/3 -> median at 240 h = 10 days
    assert critical["median_days"] == 10.0
    assert critical["median_days_if_arrived"] == 6.0  # (2 + 10) / 2 days
    assert critical["share_never_arrived"] == pytest.approx(0.333, abs=0.001)
    assert {p.label for p in report.populations} >= {"raised by business", "raised by tech"}


def test_stuck_items_and_monthly_trend(con):
    report = build_report(con)
    assert [s["item_id"] for s in report.stuck] == ["jira:SUP-3"]
    assert report.stuck[0]["waiting_days"] == 25.0
    months = {m["month"]: m for m in report.monthly}
    assert months["2026-03"]["reached_comex"] == 2 and months["2026-04"]["field_items"] == 2


def test_html_is_standalone_and_escapes_titles(con):
    page = render_html(build_report(con), "acme", "Europe/Paris")
    assert "<b>jira:SUP-3</b>" not in page and "&lt;b&gt;jira:SUP-3&lt;/b&gt;" in page
    assert "http" not in page.split("<body>")[0].replace("https://x", "")  # no external assets
    assert "2026-05-01 02:00 CEST" in page  # as-of shown in the workspace time zone
    assert '<a href="https://x">jira:SUP-3</a>' in page  # stuck items link to their evidence


def test_markdown_table_escapes_pipes_and_shows_missing_values():
    text = markdown_table([{"a": "x|y", "b": None, "c": datetime(2026, 3, 1, 9, 30)}])
    assert text.splitlines() == [
        "| a | b | c |",
        "|---|---|---|",
        "| x\\|y | — | 2026-03-01 09:30 |",
    ]


def test_the_page_draws_one_survival_curve_per_population(con):
    report = build_report(con)
    page = render_html(report, "acme", "Europe/Paris")
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert svg.count("<polyline") == 2  # critical and non-critical
    assert "critical items (n=3)" in svg and "<script" not in page
    assert survival_svg([]) == ""


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.domain)//",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
    ],
)
def test_only_http_and_https_links_are_live(con, url):
    """GIVEN an evidence url of another scheme WHEN the report is rendered THEN no link."""
    con.execute("update fct_information_flow set html_url = ? where item_id = 'jira:SUP-3'", [url])
    page = render_html(build_report(con), "acme", "Europe/Paris")
    body = page.split("<body>")[1]
    assert "<a " not in body
    assert "jira:SUP-3" in body  # the item is still listed, as text


def test_http_links_stay_live(con):
    con.execute("update fct_information_flow set html_url = 'http://jira.example/SUP-3'")
    page = render_html(build_report(con), "acme", "Europe/Paris")
    assert '<a href="http://jira.example/SUP-3">jira:SUP-3</a>' in page


def test_items_left_out_by_a_rule_are_counted_in_the_report(con):
    """GIVEN fct_data_quality counting critical items whose author is unknown WHEN the report
    is rendered THEN the page says how many were left out and why."""
    con.execute(
        "create table fct_data_quality as select * from (values "
        "('fct_information_flow', 'author_unknown', 'item author is null (deleted account)', "
        "2::bigint, 1::bigint), ('fct_information_flow', 'author_level_unknown', "
        "'item author has no level', 0::bigint, 0::bigint)) "
        "t(mart, exclusion_rule, exclusion_reason, excluded_rows, excluded_critical_rows)"
    )
    report = build_report(con)
    assert report.excluded == [
        {"reason": "item author is null (deleted account)", "items": 2, "critical": 1}
    ]
    page = render_html(report, "acme", "Europe/Paris")
    assert "Left out of these figures" in page and "deleted account" in page


def test_a_snapshot_without_data_quality_still_renders(con):
    report = build_report(con)
    assert report.excluded == []  # no fct_data_quality: nothing claimed left out
    page = render_html(report, "acme", "Europe/Paris")
    assert "Left out of these figures" in page


def test_items_raised_above_the_field_are_counted_apart_and_implicit_links_shown_both_ways(con):
    """GIVEN the mart's population columns WHEN a manager raised an item and another item
    reached COMEX through an implicit link only THEN the latency leaves the manager's item out
    (and says so), and the explicit-only population counts the implicit arrival as waiting."""
    con.execute(
        """
        update fct_information_flow set comex_link_kind = 'implicit', comex_link_score = 0.8,
            has_reached_comex_explicit = false, observed_explicit_hours = 1440
            where item_id = 'jira:SUP-1';
        insert into fct_information_flow (item_id, title, is_critical, origin_side, field_at,
            has_reached_comex, observed_hours, as_of_at, raised_level, in_latency_population)
        values ('jira:SUP-9', 'by a manager', true, 'business', '2026-03-05 09:00', false,
            500, '2026-05-01 00:00', 'management', false);
        """
    )
    _raised_by_level(con)
    report = build_report(con)
    critical = report.population("critical items").row()
    assert critical["items"] == 3 and critical["reached_comex"] == 2  # SUP-9 left out
    explicit = report.population("critical items (explicit links only)").row()
    assert explicit["items"] == 3 and explicit["reached_comex"] == 1
    assert "jira:SUP-9" not in {s["item_id"] for s in report.stuck}
    raised = {r["raised_level"]: r for r in report.raised}
    assert raised["management"]["items"] == 1 and not raised["management"]["in_latency"]
    assert raised["field"]["items"] == 4 and raised["field"]["via_implicit_link"] == 1
    arrived = {a["item_id"]: a for a in report.arrived}
    assert (
        arrived["jira:SUP-1"]["link"] == "implicit" and arrived["jira:SUP-1"]["link_score"] == 0.8
    )
    page = render_html(report, "acme", "Europe/Paris")
    assert "Who raised the items" in page and "management" in page
