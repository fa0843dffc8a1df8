"""The dbt project documents itself: read from dbt's own manifest (parsed when stale), every
mart and intermediate model states its grain and describes each column it declares, the marts
enforce contracts with typed columns, the raw sources declare freshness, and the report, the
alerts and the summary are exposures of the marts they read. That the declared columns are all
the columns a model builds is checked on the demo's snapshot (tests/e2e)."""

from __future__ import annotations

import json

import pytest

from pipelines.defs.resources import prepare_dbt_manifest


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads(prepare_dbt_manifest().read_text(encoding="utf-8"))


def models(manifest: dict, layer: str) -> list[dict]:
    return [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["fqn"][1] == layer
    ]


@pytest.mark.parametrize("layer", ["marts", "intermediate"])
def test_every_model_states_its_grain_and_describes_every_declared_column(manifest, layer):
    found = models(manifest, layer)
    assert len(found) >= 5
    for node in found:
        assert node["description"].startswith("Grain:"), f"{node['name']}: no grain stated"
        assert node["columns"], f"{node['name']}: no column declared"
        undescribed = [c for c, col in node["columns"].items() if not col["description"].strip()]
        assert not undescribed, f"{node['name']}: undescribed columns {undescribed}"


def test_every_mart_enforces_a_contract_with_typed_columns(manifest):
    for node in models(manifest, "marts"):
        assert node["config"]["contract"]["enforced"], f"{node['name']}: no enforced contract"
        untyped = [c for c, col in node["columns"].items() if not col.get("data_type")]
        assert not untyped, f"{node['name']}: columns without data_type {untyped}"


def test_marts_carry_relationships_and_expression_tests(manifest):
    kinds: dict[str, set[str]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] == "test" and node.get("test_metadata"):
            for parent in node["depends_on"]["nodes"]:
                kinds.setdefault(parent.split(".")[-1], set()).add(node["test_metadata"]["name"])
    for name in ("fct_information_flow", "fct_decisions", "fct_arbitration_monthly"):
        assert "relationships" in kinds.get(name, set()), name
    for name in ("fct_arbitration_by_domain", "fct_cross_side_trend", "fct_latency_monthly"):
        assert "expression_is_true" in kinds.get(name, set()), name


def test_landed_sources_declare_freshness(manifest):
    for source in manifest["sources"].values():
        if source["source_name"] == "nlp":  # derived from int_documents, not landed
            continue
        freshness = source.get("freshness") or {}
        assert source.get("loaded_at_field"), source["unique_id"]
        assert (freshness.get("warn_after") or {}).get("count"), source["unique_id"]


def test_report_alerts_and_summary_are_exposures_of_what_they_read(manifest):
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    assert {"cto_latency_report", "silo_alerts", "silo_summary"} <= set(exposures)
    reads = {
        name: {ref.split(".")[-1] for ref in e["depends_on"]["nodes"]}
        for name, e in exposures.items()
    }
    assert {"fct_information_flow", "fct_latency_monthly"} <= reads["cto_latency_report"]
    assert {"fct_arbitration_by_domain", "fct_cross_side_trend"} <= reads["silo_alerts"]
    assert {"fct_arbitration_by_domain", "fct_unresolved_aliases"} <= reads["silo_summary"]


def test_no_data_test_spans_the_nlp_boundary(manifest):
    """Dagster builds `tag:pre_nlp` before the NLP step and the rest after it; a test whose
    parents sit on both sides (a relationships test from a mart to a staging model) would be
    selected with the first half and fail on a fresh workspace, before its mart exists."""
    nodes = {**manifest["nodes"], **manifest["sources"]}

    def before_nlp(unique_id: str) -> bool:
        node = nodes[unique_id]
        return node["resource_type"] == "source" or "pre_nlp" in node.get("tags", [])

    for node in manifest["nodes"].values():
        if node["resource_type"] != "test":
            continue
        sides = {before_nlp(parent) for parent in node["depends_on"]["nodes"]}
        assert len(sides) <= 1, f"{node['name']} has parents before and after the NLP step"
