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
