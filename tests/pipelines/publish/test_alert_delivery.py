"""Alert delivery against real servers on 127.0.0.1: a Slack-compatible receiver, a signed
webhook receiver, an SMTP server (aiosmtpd) and a log file.

GIVEN a workspace whose silo.yml names the four sinks, WHEN rules breach, hold, recover, a
sink goes down or the process restarts, THEN each sink gets each message exactly once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from pipelines.config import load_workspace
from pipelines.publish.alerts import (
    BREACHED,
    OK,
    Evaluation,
    load_state,
    plan,
    run_alerts,
    save_state,
    state_path,
)

SLACK_URL_SECRET = "T000/B000/very-secret-slack-path"
HOOK_SECRET = "hook-secret-0123456789"
SMTP_USER, SMTP_PASSWORD = "silo", "smtp-password-42"


class Receiver(ThreadingHTTPServer):
    """A small HTTP endpoint that records what it accepts; `status` makes it fail on purpose;
    with a `secret` it checks the HMAC-SHA256 signature and refuses what is not signed."""

    def __init__(self, secret: str | None = None):
        self.received: list[dict] = []
        self.status = 200
        self.secret = secret

        class Handler(BaseHTTPRequestHandler):
            def do_POST(handler):  # noqa: N805 - the handler instance
                body = handler.rfile.read(int(handler.headers["Content-Length"]))
                status = self.status
                if self.secret is not None:
                    expected = (
                        "sha256=" + hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
                    )
                    if not hmac.compare_digest(
                        expected, handler.headers.get("X-Silo-Signature", "")
                    ):
                        status = 401
                if status == 200:
                    self.received.append(
                        {
                            "path": handler.path,
                            "headers": dict(handler.headers),
                            "json": json.loads(body),
                        }
                    )
                handler.send_response(status)
                handler.end_headers()
                handler.wfile.write(b"ok" if status == 200 else b"no")

            def log_message(handler, *args):  # noqa: N805
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self.thread.join()


class Mailbox:
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(envelope)
        return "250 OK"

    def __init__(self):
        self.messages = []


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (
        auth_data.login.decode(),
        auth_data.password.decode(),
    ) == (SMTP_USER, SMTP_PASSWORD)
    return AuthResult(success=ok)


class SmtpServer:
    """aiosmtpd on a fixed local port, so it can be stopped and started again."""

    def __init__(self, port: int):
        self.port, self.mailbox, self.controller = port, Mailbox(), None

    def start(self) -> None:
        self.controller = Controller(
            self.mailbox,
            hostname="127.0.0.1",
            port=self.port,
            authenticator=_authenticator,
            auth_require_tls=False,
        )
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def servers(monkeypatch):
    slack, hook, smtp = Receiver(), Receiver(secret=HOOK_SECRET), SmtpServer(_free_port())
    smtp.start()
    monkeypatch.setenv("TEST_SLACK_URL", f"{slack.url}/services/{SLACK_URL_SECRET}")
    monkeypatch.setenv("TEST_HOOK_SECRET", HOOK_SECRET)
    monkeypatch.setenv("TEST_SMTP_USER", SMTP_USER)
    monkeypatch.setenv("TEST_SMTP_PASSWORD", SMTP_PASSWORD)
    yield slack, hook, smtp
    slack.stop()
    hook.stop()
    smtp.stop()


def _workspace(tmp_path, slack, hook, smtp):
    (tmp_path / "silo.yml").write_text(
        f"""
workspace: acme
start_date: 2026-01-05
alerts:
  report_url: https://silo.acme.example/latency.html
  retries: 3
  retry_backoff_seconds: 0
  sinks:
    - {{type: slack, webhook_env: TEST_SLACK_URL, timeout_seconds: 5}}
    - {{type: webhook, url: "{hook.url}/silo", secret_env: TEST_HOOK_SECRET}}
    - {{type: email, smtp_host: 127.0.0.1, smtp_port: {smtp.port}, from: silo@acme.example,
       to: [cto@acme.example], username_env: TEST_SMTP_USER, password_env: TEST_SMTP_PASSWORD,
       require_tls: false}}
    - {{type: file, path: alerts.log}}
""",
        encoding="utf-8",
    )
    return load_workspace(tmp_path)


class Clock:
    """Deterministic timestamps: one tick per call."""

    def __init__(self):
        self.t = 0

    def __call__(self) -> str:
        self.t += 1
        return f"2026-06-01T00:{self.t // 60:02d}:{self.t % 60:02d}+00:00"


def _run(ws, evaluations, clock, sleeps=None):
    """One run as the `silo_alerts` asset does it: fresh sink objects from the config."""
    return run_alerts(
        state_path(ws.root),
        evaluations,
        ws.alerts.sinks,
        workspace=ws.name,
        report_url="https://silo.acme.example/latency.html#alerts",
        retries=ws.alerts.retries,
        backoff_seconds=ws.alerts.retry_backoff_seconds,
        now=clock,
        sleep=(sleeps.append if sleeps is not None else lambda s: None),
    )


BREACH = Evaluation(
    "official_owner_min_share",
    "roadmap",
    BREACHED,
    "roadmap: the official owner (cpo) took 11% of decisions; Marie Dubois took 65%",
    measure=0.11,
    threshold=0.5,
    direction="below",
    measured="official owner's share",
    trend="owner's share by month: 2026-04 20% of 10, 2026-05 5% of 20",
    evidence=('2026-05-12 Marie Dubois: "on garde le panier moyen en tête de roadmap"',),
)
RECOVERY = Evaluation(
    "official_owner_min_share",
    "roadmap",
    OK,
    "roadmap: the official owner (cpo) took 60% of decisions",
    measure=0.6,
    threshold=0.5,
    direction="below",
)


def _counts(slack, hook, smtp, ws):
    log = ws.root / "alerts.log"
    files = log.read_text().count("official_owner_min_share:roadmap#") if log.exists() else 0
    return len(slack.received), len(hook.received), len(smtp.mailbox.messages), files


def test_a_breach_sends_one_message_per_sink_and_the_same_breach_again_none(servers, tmp_path):
    slack, hook, smtp = servers
    ws = _workspace(tmp_path, slack, hook, smtp)
    clock = Clock()

    first = _run(ws, [BREACH], clock)
    assert first.failures == [] and first.pending == 0
    assert first.opened == ["official_owner_min_share:roadmap"]
    assert _counts(slack, hook, smtp, ws) == (1, 1, 1, 1)

    # what each sink got: Slack's text, the signed JSON, the e-mail, the log file
    text = slack.received[0]["json"]["text"]
    assert slack.received[0]["path"] == f"/services/{SLACK_URL_SECRET}"
    assert text.startswith("[Silo Signals · acme] ALERT official_owner_min_share:roadmap")
    assert "Measure (official owner's share): 11% (rule: at least 50%)" in text
    assert "Trend: owner's share by month" in text and "Marie Dubois" in text
    assert "Report: https://silo.acme.example/latency.html#alerts" in text
    body = hook.received[0]
    assert body["json"]["alert_id"] == "official_owner_min_share:roadmap"
    assert body["json"]["kind"] == "fired" and body["json"]["evidence"]
    assert body["headers"]["X-Silo-Delivery"] == "official_owner_min_share:roadmap#1:fired"
    mail = smtp.mailbox.messages[0]
    assert mail.rcpt_tos == ["cto@acme.example"] and mail.mail_from == "silo@acme.example"
    assert b"Subject: [Silo Signals" in mail.content and b"Marie Dubois" in mail.content

    second = _run(ws, [BREACH], clock)
    assert second.sent == [] and second.opened == []
    assert [a["alert_id"] for a in second.open] == ["official_owner_min_share:roadmap"]
    assert _counts(slack, hook, smtp, ws) == (1, 1, 1, 1)


def test_a_recovery_sends_exactly_one_message_per_sink(servers, tmp_path):
    slack, hook, smtp = servers
    ws = _workspace(tmp_path, slack, hook, smtp)
    clock = Clock()
    _run(ws, [BREACH], clock)

    recovered = _run(ws, [RECOVERY], clock)
    assert recovered.recovered == ["official_owner_min_share:roadmap"] and recovered.open == []
    assert _counts(slack, hook, smtp, ws) == (2, 2, 2, 2)
    assert slack.received[1]["json"]["text"].startswith(
        "[Silo Signals · acme] RECOVERED official_owner_min_share:roadmap"
    )
    assert hook.received[1]["json"]["kind"] == "recovered"

    _run(ws, [RECOVERY], clock)  # still fine: nothing more
    assert _counts(slack, hook, smtp, ws) == (2, 2, 2, 2)
    _run(ws, [BREACH], clock)  # breached again: a new episode, one message each
    assert _counts(slack, hook, smtp, ws) == (3, 3, 3, 3)
    assert (
        hook.received[2]["headers"]["X-Silo-Delivery"] == "official_owner_min_share:roadmap#2:fired"
    )


def test_a_sink_down_during_a_run_gets_its_message_on_the_next_run(servers, tmp_path):
    slack, hook, smtp = servers
    ws = _workspace(tmp_path, slack, hook, smtp)
    clock, sleeps = Clock(), []
    slack.status = 503  # Slack answers but fails
    smtp.stop()  # the mail server is gone: connection refused

    down = _run(ws, [BREACH], clock, sleeps)
    assert sorted(f[0] for f in down.failures) == ["email", "slack"]
    assert down.pending == 2
    assert sleeps == [0.0, 0.0, 0.0, 0.0]  # 3 attempts each: two waits per sink, bounded
    assert _counts(slack, hook, smtp, ws) == (0, 1, 0, 1)
    state = load_state(state_path(ws.root))
    assert {x["sink"]: x["attempts"] for x in state["outbox"]} == {"slack": 3, "email": 3}
    assert "HTTP 503" in next(x for x in state["outbox"] if x["sink"] == "slack")["last_error"]

    slack.status = 200
    smtp.start()
    back = _run(ws, [BREACH], clock)
    assert back.failures == [] and back.pending == 0
    assert sorted(sink for _, sink in back.sent) == ["email", "slack"]
    assert _counts(slack, hook, smtp, ws) == (1, 1, 1, 1)


def test_a_restart_loses_nothing(servers, tmp_path):
    slack, hook, smtp = servers
    ws = _workspace(tmp_path, slack, hook, smtp)
    clock = Clock()
    # the process queued the messages, saved its state, and died before sending any
    path = state_path(ws.root)
    state, queued = plan(
        load_state(path),
        [BREACH],
        [s.name for s in ws.alerts.sinks],
        workspace=ws.name,
        report_url=None,
        now=clock(),
    )
    assert len(queued) == 4
    save_state(path, state)
    assert _counts(slack, hook, smtp, ws) == (0, 0, 0, 0)

    # a new process: configuration read again, new sink objects, same state file
    again = load_workspace(ws.root)
    resumed = _run(again, [BREACH], clock)
    assert len(resumed.sent) == 4 and resumed.opened == []
    assert _counts(slack, hook, smtp, ws) == (1, 1, 1, 1)
    _run(load_workspace(ws.root), [BREACH], clock)
    assert _counts(slack, hook, smtp, ws) == (1, 1, 1, 1)


def test_a_wrong_webhook_secret_is_refused_kept_and_never_written(servers, tmp_path, monkeypatch):
    slack, hook, smtp = servers
    ws = _workspace(tmp_path, slack, hook, smtp)
    monkeypatch.setenv("TEST_HOOK_SECRET", "not-the-receivers-secret")
    run = _run(ws, [BREACH], Clock())
    assert [(f[0], f[2]) for f in run.failures] == [("webhook", "HTTP 401 Unauthorized")]
    assert len(hook.received) == 0 and run.pending == 1
    saved = state_path(ws.root).read_text()
    for secret in (SLACK_URL_SECRET, "not-the-receivers-secret", HOOK_SECRET, SMTP_PASSWORD):
        assert secret not in saved


def test_credentials_are_not_sent_in_clear_unless_allowed(servers, tmp_path):
    slack, hook, smtp = servers
    ws = _workspace(tmp_path, slack, hook, smtp)
    text = (ws.root / "silo.yml").read_text().replace("require_tls: false", "require_tls: true")
    (ws.root / "silo.yml").write_text(text)
    run = _run(load_workspace(ws.root), [BREACH], Clock())
    assert [f[0] for f in run.failures] == ["email"]
    assert "no STARTTLS" in run.failures[0][2]
    assert smtp.mailbox.messages == []
