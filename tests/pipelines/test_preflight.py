"""`silo check`: config, environment variables, folders, live sources; one line per problem,
a non-zero exit on a user error, a traceback only with --debug."""

import socket

import pytest
import yaml

from pipelines.cli import main
from pipelines.preflight import looks_like_secret, preflight


def write(root, **sources):
    root.mkdir(parents=True, exist_ok=True)
    config = {"workspace": "acme", "start_date": "2026-01-05", "sources": sources}
    (root / "silo.yml").write_text(yaml.safe_dump(config))
    return root


def problems(root, network=True):
    _, findings = preflight(root, network=network)
    return [f.line for f in findings if not f.ok]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    "value", ["ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ATATT3xFfGF0abc", "my token", "a-b"]
)
def test_a_secret_in_an_env_key_is_recognised(value):
    assert looks_like_secret(value)


@pytest.mark.parametrize("value", ["GITHUB_TOKEN", "JIRA_API_TOKEN", "acme_jira_token"])
def test_variable_names_are_not_secrets(value):
    assert not looks_like_secret(value)


def test_a_token_put_in_token_env_is_an_error_that_never_echoes_it(tmp_path):
    secret = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"
    root = write(tmp_path / "ws", github={"repos": ["acme/web"], "token_env": secret})
    lines = problems(root)
    assert len(lines) == 1 and "sources.github.token_env holds what looks like a secret" in lines[0]
    assert secret not in lines[0]


def test_missing_variables_and_folders_are_named(tmp_path, monkeypatch):
    monkeypatch.delenv("SILO_TEST_JIRA_TOKEN", raising=False)
    root = write(
        tmp_path / "ws",
        jira={
            "url": "https://acme.atlassian.net",
            "deployment": "server",
            "token_env": "SILO_TEST_JIRA_TOKEN",
            "jql": "project = X",
        },
        notes={"folder": "minutes"},
        directory={"file": "org.yml"},
    )
    lines = problems(root)
    assert any("$SILO_TEST_JIRA_TOKEN is not set" in line for line in lines)
    assert any("notes folder" in line and "minutes" in line for line in lines)
    assert any("directory file" in line and "does not exist" in line for line in lines)


def test_an_unreachable_github_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("SILO_TEST_GH", "not-a-real-token")
    base = f"http://127.0.0.1:{closed_port()}/api/v3"
    root = write(
        tmp_path / "ws",
        github={"repos": ["acme/web"], "token_env": "SILO_TEST_GH", "base_url": base},
    )
    lines = problems(root)
    assert len(lines) == 1 and lines[0].startswith(f"GitHub at {base}:")
    assert "\n" not in lines[0]


def test_a_reachable_github_and_jira_pass(tmp_path, monkeypatch, httpserver):
    monkeypatch.setenv("SILO_TEST_GH", "t0ken")
    monkeypatch.setenv("SILO_TEST_JIRA_EMAIL", "ops@acme.example")
    monkeypatch.setenv("SILO_TEST_JIRA_TOKEN", "t0ken")
    httpserver.expect_request("/api/v3/repos/acme/web").respond_with_json({"id": 1})
    httpserver.expect_request("/rest/api/2/serverInfo").respond_with_json(
        {
            "baseUrl": httpserver.url_for(""),
            "deploymentType": "Cloud",
            "version": "1001.0.0",
            "versionNumbers": [1001, 0, 0],
        }
    )
    httpserver.expect_request("/rest/api/2/myself").respond_with_json({"timeZone": "UTC"})
    root = write(
        tmp_path / "ws",
        github={
            "repos": ["acme/web"],
            "token_env": "SILO_TEST_GH",
            "base_url": httpserver.url_for("/api/v3"),
        },
        jira={
            "url": httpserver.url_for("").rstrip("/"),
            "email_env": "SILO_TEST_JIRA_EMAIL",
            "token_env": "SILO_TEST_JIRA_TOKEN",
            "jql": "project = X",
        },
    )
    assert problems(root) == []


def test_a_jira_refusing_the_credentials_is_one_line(tmp_path, monkeypatch, httpserver):
    monkeypatch.setenv("SILO_TEST_JIRA_TOKEN", "expired")
    httpserver.expect_request("/rest/api/2/serverInfo").respond_with_json(
        {"errorMessages": ["Unauthorized"]}, status=401
    )
    root = write(
        tmp_path / "ws",
        jira={
            "url": httpserver.url_for("").rstrip("/"),
            "deployment": "server",
            "token_env": "SILO_TEST_JIRA_TOKEN",
            "jql": "project = X",
        },
    )
    lines = problems(root)
    assert len(lines) == 1 and "HTTP 401" in lines[0] and "SILO_TEST_JIRA_TOKEN" in lines[0]


def test_silo_check_prints_one_line_per_check_and_exits_2_on_a_problem(tmp_path, capsys):
    root = write(tmp_path / "ws", notes={"folder": "notes"})
    assert main(["check", "-w", str(root)]) == 2
    out = capsys.readouterr().out
    assert "ERR notes folder" in out and out.strip().endswith("1 problem(s)")
    (root / "notes").mkdir()
    assert main(["check", "-w", str(root)]) == 0
    assert capsys.readouterr().out.strip().endswith("ready")


def test_a_missing_workspace_is_one_line_and_a_traceback_only_with_debug(tmp_path, capsys):
    missing = tmp_path / "nope"
    assert main(["check", "-w", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err and "Traceback" not in err
    with pytest.raises(Exception, match="does not exist"):
        main(["check", "-w", str(missing), "--debug"])


def test_silo_run_does_the_preflight_first(tmp_path, capsys):
    root = write(tmp_path / "ws", notes={"folder": "notes"})
    assert main(["run", "-w", str(root)]) == 2
    err = capsys.readouterr().err
    assert "pre-flight failed" in err and "notes folder" in err
    assert not (root / "raw").exists() and not (root / ".dagster").exists()
