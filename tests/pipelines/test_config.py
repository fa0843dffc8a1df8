"""silo.yml validation: a valid workspace loads; each mistake is named by key and file."""

from datetime import date
from pathlib import Path

import pytest

from pipelines.config import ConfigError, load_workspace

VALID = """
workspace: acme
timezone: Europe/Paris
start_date: 2026-01-05
sources:
  github:
    mode: live
    repos: [acme/api]
    token_env: ACME_GH_TOKEN
  jira:
    mode: live
    url: https://acme.atlassian.net
    jql: project = PLAT
  notes: {folder: notes}
  directory: {file: directory.yml}
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "silo.yml").write_text(text, encoding="utf-8")
    return tmp_path


def test_valid_workspace_loads_with_defaults_and_absolute_paths(tmp_path):
    ws = load_workspace(write(tmp_path, VALID))
    assert ws.name == "acme"
    assert ws.start_date == date(2026, 1, 5)
    assert ws.github.repos == ("acme/api",)
    assert ws.github.base_url == "https://api.github.com"
    assert ws.jira.deployment == "cloud"
    assert ws.notes.folder == (tmp_path / "notes").resolve()
    assert ws.warehouse_path == tmp_path.resolve() / "warehouse" / "silo.duckdb"


def test_secrets_come_from_the_named_environment_variable(tmp_path, monkeypatch):
    ws = load_workspace(write(tmp_path, VALID))
    monkeypatch.delenv("ACME_GH_TOKEN", raising=False)
    assert ws.github.token() is None
    monkeypatch.setenv("ACME_GH_TOKEN", "s3cret")
    assert ws.github.token() == "s3cret"
    assert "s3cret" not in repr(ws)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("repos: [acme/api]", "repos: [acme]"), "sources.github.repos"),
        (("mode: live\n    repos", "mode: sometimes\n    repos"), "sources.github.mode"),
        (("timezone: Europe/Paris", "timezone: Mars/Olympus"), "'timezone'"),
        (("start_date: 2026-01-05", "start_date: soon"), "'start_date'"),
        (("jql: project = PLAT", "jql: 42"), "sources.jira.jql"),
        (("url: https://acme.atlassian.net", "url: acme"), "sources.jira.url"),
        (("workspace: acme", "workspace: acme\ncolour: blue"), "unknown key(s) ['colour']"),
    ],
)
def test_each_mistake_names_the_key(tmp_path, change, message):
    old, new = change
    assert old in VALID
    with pytest.raises(ConfigError) as err:
        load_workspace(write(tmp_path, VALID.replace(old, new)))
    assert message in str(err.value)
    assert str(tmp_path / "silo.yml") in str(err.value)


def test_missing_file_and_bad_yaml_are_clear(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_workspace(tmp_path)
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_workspace(write(tmp_path, "workspace: [unclosed"))


def test_replay_mode_requires_a_replay_dir(tmp_path):
    text = VALID.replace("mode: live\n    repos", "mode: replay\n    repos")
    with pytest.raises(ConfigError, match="replay_dir"):
        load_workspace(write(tmp_path, text))


def test_the_readme_example_is_a_valid_silo_yml(tmp_path):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## A workspace") :]
    example = section[section.index("```yaml") + len("```yaml") : section.index("```\n", 10)]
    ws = load_workspace(write(tmp_path, example))
    assert ws.github.repos and ws.jira.fields["owners"] == ["Product Owner"]
    assert ws.lexicons["fr"]["tech"] == ["feature flag"]


def test_alert_rules_default_and_override_by_name(tmp_path):
    ws = load_workspace(write(tmp_path, VALID))
    assert ws.alert_rules["critical_never_arrived_share"] == 0.25
    text = VALID + "alerts:\n  rules: {cross_side_drop: 0.5}\n"
    ws = load_workspace(write(tmp_path, text))
    assert ws.alert_rules["cross_side_drop"] == 0.5
    assert ws.alert_rules["official_owner_min_share"] == 0.5  # the others keep their default


@pytest.mark.parametrize(
    ("alerts", "message"),
    [
        ("rules: {cross_sid_drop: 0.5}", "unknown key(s) ['cross_sid_drop'] under 'alerts.rules'"),
        ("rules: {cross_side_drop: lots}", "alerts.rules.cross_side_drop"),
        ("slack_webhook: https://x", "unknown key(s) ['slack_webhook'] under 'alerts'"),
        ("sinks: [slack]", "key 'alerts.sinks[0]': expected a mapping"),
        ("sinks: [{type: sms}]", "key 'alerts.sinks[0].type': expected one of"),
        ("sinks: [{type: slack}]", "key 'alerts.sinks[0].webhook_env'"),
        ("sinks: [{type: slack, webhook_env: X, url: y}]", "['url'] under 'alerts.sinks[0]'"),
        ("sinks: [{type: webhook, url: ftp://x, secret_env: S}]", "alerts.sinks[0].url"),
        ("sinks: [{type: webhook, url: 'https://x'}]", "alerts.sinks[0].secret_env"),
        ("sinks: [{type: file}]", "alerts.sinks[0].path': required"),
        (
            "sinks: [{type: email, smtp_host: h, from: a@b, to: [c@d], username_env: U}]",
            "alerts.sinks[0].password_env': username_env and password_env go together",
        ),
        ("sinks: [{type: email, smtp_host: h, from: a@b, to: []}]", "alerts.sinks[0].to"),
        (
            "sinks: [{type: file, path: a.log}, {type: file, path: b.log}]",
            "alerts.sinks[1].name': 'file' is used twice",
        ),
        ("min_evidence: {weeks: 0}", "alerts.min_evidence.weeks"),
        ("min_evidence: {week: 3}", "unknown key(s) ['week'] under 'alerts.min_evidence'"),
        ("retries: 0", "alerts.retries"),
        ("report_url: latency.html", "alerts.report_url"),
    ],
)
def test_a_mistyped_alert_setting_is_an_error_naming_its_key(tmp_path, alerts, message):
    with pytest.raises(ConfigError) as err:
        load_workspace(write(tmp_path, VALID + f"alerts:\n  {alerts}\n"))
    assert message in str(err.value)


def test_a_secret_pasted_instead_of_a_variable_name_is_refused_and_not_echoed(tmp_path):
    hook = "https://hooks.slack.com/services/T0/B0/SECRETSECRET"
    with pytest.raises(ConfigError) as err:
        load_workspace(
            write(tmp_path, VALID + f"alerts:\n  sinks: [{{type: slack, webhook_env: '{hook}'}}]\n")
        )
    assert "alerts.sinks[0].webhook_env" in str(err.value)
    assert "SECRETSECRET" not in str(err.value)


def test_alert_sinks_load_with_their_defaults(tmp_path):
    text = (
        VALID
        + """alerts:
  min_evidence: {comex_decisions: 10}
  sinks:
    - {type: slack, webhook_env: SLACK_WEBHOOK_URL}
    - {type: webhook, url: https://hooks.example/silo, secret_env: SILO_HOOK_SECRET}
    - {type: email, smtp_host: smtp.example, from: silo@acme.example, to: [cto@acme.example],
       username_env: SMTP_USER, password_env: SMTP_PASSWORD}
    - {type: file, path: alerts.log, name: audit}
"""
    )
    ws = load_workspace(write(tmp_path, text))
    slack, hook, email, log = ws.alerts.sinks
    assert [s.name for s in ws.alerts.sinks] == ["slack", "webhook", "email", "audit"]
    assert email.smtp_port == 587 and email.require_tls and email.to == ("cto@acme.example",)
    assert log.path == (tmp_path / "alerts.log").resolve()
    assert ws.alerts.min_evidence["comex_decisions"] == 10
    assert ws.alerts.min_evidence["domain_decisions"] == 5  # the others keep their default
    assert ws.alerts.retries == 3


REPLAY = "mode: replay\n    replay_dir: 'OUT'\n"


@pytest.mark.parametrize(
    ("key", "before", "after"),
    [
        ("sources.notes.folder", "{folder: notes}", "{folder: 'OUT'}"),
        ("sources.directory.file", "{file: directory.yml}", "{file: 'OUT'}"),
        ("sources.github.replay_dir", "mode: live\n    repos", REPLAY + "    repos"),
        ("sources.jira.replay_dir", "mode: live\n    url", REPLAY + "    url"),
    ],
)
@pytest.mark.parametrize("outside", ["../../../../etc", "/etc", "sub/../../elsewhere"])
def test_configured_paths_stay_inside_the_workspace(tmp_path, key, before, after, outside):
    """GIVEN a configured path that resolves outside the workspace WHEN loaded THEN a one-line
    ConfigError names the key."""
    ws_dir = tmp_path / "a" / "b" / "c" / "ws"
    ws_dir.mkdir(parents=True)
    text = VALID.replace(before, after.replace("OUT", outside))
    assert text != VALID
    with pytest.raises(ConfigError, match=f"'{key}'.*outside the workspace") as caught:
        load_workspace(write(ws_dir, text))
    assert "\n" not in str(caught.value)


def test_a_symlink_out_of_the_workspace_is_outside(tmp_path):
    (tmp_path / "ws").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "ws" / "notes").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(ConfigError, match="'sources.notes.folder'.*outside the workspace"):
        load_workspace(write(tmp_path / "ws", VALID))


def test_allowed_paths_admit_a_folder_outside_the_workspace(tmp_path):
    (tmp_path / "ws").mkdir()
    shared = tmp_path / "shared"
    text = VALID.replace("{folder: notes}", f"{{folder: '{shared}/notes'}}")
    with pytest.raises(ConfigError, match="allowed_paths"):
        load_workspace(write(tmp_path / "ws", text))
    ws = load_workspace(write(tmp_path / "ws", f"allowed_paths: ['{shared}']\n" + text))
    assert ws.notes.folder == (shared / "notes").resolve()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("timezone: Europe/Paris", "timezone: Europe/Paris\ntimezone: UTC",
         "duplicate key 'timezone'"),
        ("jql: project = PLAT", "jql: project = PLAT\n    jql: project = SUP",
         "duplicate key 'jql'"),
        ("  github:\n    mode: live\n    repos: [acme/api]\n    token_env: ACME_GH_TOKEN\n",
         "  github: {}\n", "'sources.github': empty"),
        ("  notes: {folder: notes}", "  notes:", "'sources.notes': empty"),
        ("  directory: {file: directory.yml}", "  directory: {}", "'sources.directory': empty"),
        ("start_date: 2026-01-05", "start_date: 2026-13-45", "'start_date'"),
        ("workspace: acme", "workspace: [unclosed", "not valid YAML"),
        ("workspace: acme", "workspace: acme\n\tbad: tab", "not valid YAML"),
    ],
)  # fmt: skip
def test_duplicate_keys_empty_sources_and_bad_values_are_one_line_errors(
    tmp_path, capsys, old, new, message
):
    """GIVEN a silo.yml mistake WHEN any command loads it THEN exit 2 with one line naming it,
    never a traceback nor a silently ignored value."""
    from pipelines.cli import main

    assert old in VALID
    write(tmp_path, VALID.replace(old, new))
    with pytest.raises(ConfigError, match=message):
        load_workspace(tmp_path)
    assert main(["query", "-w", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1, err


def test_a_silo_yml_that_is_not_utf8_is_a_one_line_error(tmp_path, capsys):
    from pipelines.cli import main

    (tmp_path / "silo.yml").write_bytes(VALID.replace("acme", "acmé").encode("latin-1"))
    assert main(["query", "-w", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "UTF-8" in err and len(err.strip().splitlines()) == 1, err


def test_an_alias_bomb_in_silo_yml_is_refused_on_one_line(tmp_path):
    """GIVEN jira.fields.owners built from nested aliases (billions of names once expanded)
    WHEN loaded THEN refused as an alias bomb before anything expands it."""
    levels = ['      l0: &l0 ["Product Owner", "Product Owner", "Product Owner"]']
    for n in range(1, 9):
        levels.append(f"      l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]")
    bomb = "\n".join(["    fields:", *levels, "      owners: [*l8, *l8, *l8, *l8]"])
    text = VALID.replace("jql: project = PLAT", "jql: project = PLAT\n" + bomb)
    with pytest.raises(ConfigError, match="alias") as caught:
        load_workspace(write(tmp_path, text))
    assert "\n" not in str(caught.value)


# --- sources.notes.folders: folders with a type and a default repository (issue 10) ---

FOLDERS = """
  notes:
    folders:
      - {path: notes/comex, type: comex}
      - {path: notes/tech-leads, type: management, default_repo: acme/api}
      - {path: notes/misc}
"""


def test_notes_folders_declare_their_type_and_default_repo(tmp_path):
    ws = load_workspace(write(tmp_path, VALID.replace("  notes: {folder: notes}\n", FOLDERS)))
    comex, leads, misc = ws.notes.folders
    assert (comex.path, comex.label, comex.type) == ((tmp_path / "notes/comex").resolve(),
                                                     "notes/comex", "comex")  # fmt: skip
    assert (leads.type, leads.default_repo) == ("management", "acme/api")
    assert (misc.type, misc.default_repo) == (None, None)
    assert ws.notes.folder == comex.path  # the first folder, for code that reads one


def test_the_single_folder_form_keeps_working_with_no_label(tmp_path):
    (folder,) = load_workspace(write(tmp_path, VALID)).notes.folders
    assert (folder.path, folder.label, folder.type) == ((tmp_path / "notes").resolve(), "", None)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{path: notes/comex, type: board}", r"'sources.notes.folders\[1\].type': expected one of"),
        ("{path: notes/comex, default_repo: api}",
         r"'sources.notes.folders\[1\].default_repo': expected a repository 'owner/repo'"),
        ("{type: comex}", r"'sources.notes.folders\[1\].path': required"),
        ("{path: notes/comex, typ: comex}",
         r"unknown key\(s\) \['typ'\] under 'sources.notes.folders\[1\]'"),
        ("{path: notes/misc/sub}", r"'sources.notes.folders\[1\].path': 'notes/misc/sub' overlaps "
         r"'sources.notes.folders\[0\].path'"),
        ("{path: '../../../etc'}", r"'sources.notes.folders\[1\].path'.*outside the workspace"),
        ("notes/comex", r"'sources.notes.folders\[1\]': expected a mapping"),
    ],
)  # fmt: skip
def test_notes_folder_mistakes_name_their_key(tmp_path, entry, message):
    block = f"  notes:\n    folders:\n      - {{path: notes/misc}}\n      - {entry}\n"
    text = VALID.replace("  notes: {folder: notes}\n", block)
    with pytest.raises(ConfigError, match=message) as caught:
        load_workspace(write(tmp_path, text))
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("{folder: notes, folders: [{path: notes}]}", "'sources.notes.folders': use either"),
        ("{folders: []}", "'sources.notes.folders': expected a non-empty list"),
        ("{folders: notes}", "'sources.notes.folders': expected a non-empty list"),
    ],
)
def test_folder_and_folders_exclude_each_other_and_folders_is_a_list(tmp_path, block, message):
    text = VALID.replace("  notes: {folder: notes}\n", f"  notes: {block}\n")
    with pytest.raises(ConfigError, match=message):
        load_workspace(write(tmp_path, text))


def test_links_default_and_override(tmp_path):
    ws = load_workspace(write(tmp_path, VALID))
    assert (ws.links.implicit, ws.links.implicit_threshold, ws.links.window_days) == (
        True,
        0.35,
        60,
    )
    text = VALID + "links: {implicit: false, implicit_threshold: 0.7, window_days: 30}\n"
    ws = load_workspace(write(tmp_path, text))
    assert (ws.links.implicit, ws.links.implicit_threshold, ws.links.window_days) == (
        False,
        0.7,
        30,
    )


@pytest.mark.parametrize(
    ("links", "message"),
    [
        ("{implicit_threshold: -1}", "links.implicit_threshold"),
        ("{implicit_threshold: high}", "links.implicit_threshold"),
        ("{window_days: 0}", "links.window_days"),
        ("{implicit: maybe}", "links.implicit"),
        ("{threshold: 0.5}", "threshold"),
        ("[0.5]", "'links'"),
    ],
)
def test_a_mistyped_links_setting_names_its_key(tmp_path, links, message):
    with pytest.raises(ConfigError, match=message):
        load_workspace(write(tmp_path, VALID + f"links: {links}\n"))
