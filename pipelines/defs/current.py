"""Whether materializing a node now would do nothing: the checks each asset makes itself
before it skips (its inputs and outputs are those its last run recorded).

`silo run` (`pipelines/cli/runner.py`) asks them before each stage and starts no Dagster run
for a stage whose every node is current: a re-run with nothing new then pays neither
Dagster's run nor its events (about a second per stage at the large size, mostly one SQLite
commit per asset and check planned). The Dagster UI keeps showing each asset's last real
materialization. Nodes not listed here (the landing, the notes) always run: their own
check needs the work it would save (asking the API, walking the folder).
"""

from collections.abc import Callable, Iterable

from pipelines.annotation import documents, links
from pipelines.config import Workspace
from pipelines.defs.alerts import ALERTS
from pipelines.defs.dbt import BUILDS, build_current
from pipelines.defs.publish import REPORT, snapshot_current

CURRENT: dict[str, Callable[[Workspace], bool]] = {
    **{name: (lambda ws, name=name: build_current(ws, name)) for name in BUILDS},
    "nlp__annotations_and_links": lambda ws: (
        documents.STEP.is_current(ws) and links.STEP.is_current(ws)
    ),
    "warehouse_snapshot": snapshot_current,
    "cto_latency_report": REPORT.is_current,
    "silo_alerts": ALERTS.is_current,
}


def stage_is_current(ws: Workspace, nodes: Iterable[str]) -> bool:
    """Every node has a check and passes it (checked in order; the first failure stops)."""
    nodes = list(nodes)
    return bool(nodes) and all(n in CURRENT for n in nodes) and all(CURRENT[n](ws) for n in nodes)
