"""The Dagster definitions of Silo Signals (code location `pipelines.definitions`).

One code location serves one client workspace, named by the SILO_WORKSPACE environment
variable. Each stage's wiring lives in `pipelines/defs/`: ingest (raw landing), dbt
(staging, intermediate, marts), nlp, publish (snapshot, report, alert check), alerts (delivery to
Slack, webhooks, e-mail, files) and automation (jobs, the daily schedule, sensors).

Why the definitions read `silo.yml` when the code location loads. Two things depend on
the workspace and Dagster fixes them at definition time: which sources exist (a notes-only
client must not run, nor record empty materializations of, GitHub and Jira), and the
schedule's time zone and hour. (GitHub and Jira land a window of days given as run config,
not Dagster partitions: pipelines/defs/ingest.py says why.)
So `build_definitions(ws)` builds them from a validated `Workspace`, and the module exposes
it through Dagster's `@definitions` loader: importing this module does no I/O (tests and
the CLI import it freely and call `build_definitions` with any workspace); only when Dagster
loads the code location does it read SILO_WORKSPACE and one local YAML file (no network),
failing with the configuration error's own message. The CLI (`silo run`, `silo demo`) calls
`build_definitions` with its workspace, so a CLI run and a scheduled run execute the same
assets over the same windows. dbt's manifest must exist before import: `dagster dev`
prepares it, and so does every `silo` command. Importing the module also sets the process's
garbage-collector thresholds to a pipeline process's (`pipelines/gcpolicy.py`): it is the
one module every process that runs these assets imports first.
"""

from dagster import Definitions, definitions

from pipelines.config import Workspace, load_workspace
from pipelines.defs.alerts import silo_alerts
from pipelines.defs.automation import automation
from pipelines.defs.dbt import dbt_after_nlp, dbt_before_nlp
from pipelines.defs.ingest import raw_assets, window_assets
from pipelines.defs.nlp import nlp_annotations_and_links
from pipelines.defs.publish import cto_latency_report, warehouse_snapshot
from pipelines.defs.resources import WorkspaceResource, dbt_resource
from pipelines.gcpolicy import raise_thresholds

raise_thresholds()


def build_definitions(ws: Workspace) -> Definitions:
    """Every asset, check, job, schedule and sensor of one workspace."""
    raw = raw_assets(ws)
    assets = [
        *raw,
        dbt_before_nlp,
        nlp_annotations_and_links,
        dbt_after_nlp,
        warehouse_snapshot,
        cto_latency_report,
        silo_alerts,
    ]
    return Definitions(
        assets=assets,
        **automation(ws, window_assets(raw)),
        resources={
            "workspace": WorkspaceResource(root=str(ws.root)),
            "dbt": dbt_resource(),
        },
    )


@definitions
def silo_signals() -> Definitions:
    """The code location's definitions: the workspace SILO_WORKSPACE names."""
    import os

    from pipelines.config import ConfigError
    from pipelines.workspaces import workspace_from

    if not os.environ.get("SILO_WORKSPACE"):
        raise ConfigError(
            "SILO_WORKSPACE is not set: start the code location with "
            "SILO_WORKSPACE=<workspace folder> (one code location per client workspace)"
        )
    return build_definitions(load_workspace(workspace_from(None)))
