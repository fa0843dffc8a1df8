"""Alerts that reach people: once per breach, with evidence, and when it recovers; no Dagster.

Three steps, the first two pure:

1. `evaluate(signals, config, sources)` judges each rule on each subject and returns one
   `Evaluation` per alert id (`<rule>:<subject>`, stable across runs): breached, ok, or not
   measured (its inputs are missing or below the rule's minimum evidence; it never fires).
2. `plan(state, evaluations, sinks, ...)` moves the alerts' state: a breach opens an alert and
   queues one "fired" message per sink, a measure back within its threshold closes it and
   queues one "recovered" message; an alert still open queues nothing new (a sink added
   while it is open gets its "fired" message once).
3. `deliver(state, sinks, ...)` sends the queue (the outbox), each message to each sink with
   a bounded number of attempts; what fails stays queued for the next run, never dropped.

`run_alerts` does the three under a lock on `<workspace>/state/alerts.json` (written
atomically after each delivery), so a crash or a restart loses nothing; the worst case is a
message sent twice, never one lost. Secrets are read from the environment when a message is
sent and kept out of every error message and of the state.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import smtplib
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from pipelines.atomic import write_json
from pipelines.config import DEFAULT_ALERT_MIN_EVIDENCE, DEFAULT_ALERT_RULES, SinkConfig
from pipelines.lock import waiting_lock

BREACHED, OK, NOT_MEASURED = "breached", "ok", "not measured"
FIRED, RECOVERED = "fired", "recovered"
STATE_VERSION = 1
SENT_LOG_LIMIT = 1000  # delivery records kept in the state file (newest last)
SIGNATURE_HEADER = "X-Silo-Signature"  # "sha256=<hex HMAC-SHA256 of the body>"


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class Evaluation:
    """One rule judged on one subject."""

    rule: str
    subject: str
    status: str  # BREACHED, OK or NOT_MEASURED
    title: str  # one line: what is wrong, what is fine, or why it is not measured
    measure: float | None = None
    threshold: float | None = None
    unit: str = "share"  # "share" (shown as %) or "count"
    direction: str = "above"  # breached when the measure is above / below the threshold
    measured: str = ""  # what the measure is, in a few words ("owner's share")
    trend: str | None = None
    evidence: tuple[str, ...] = ()

    @property
    def alert_id(self) -> str:
        return f"{self.rule}:{self.subject}"

    def shown(self, value: float | None) -> str:
        if value is None:
            return "n/a"
        return f"{value:.0%}" if self.unit == "share" else f"{value:g}"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def _quote(text: Any) -> str:
    """A decision or title on one line, quoted (minutes keep their line breaks)."""
    return '"' + " ".join(str(text or "").split()) + '"'


def _day(value: Any) -> str:
    return str(value)[:10] if value is not None else "?"


def evaluate(
    signals: Any,
    rules: dict[str, float] | None = None,
    min_evidence: dict[str, int] | None = None,
    sources: set[str] | None = None,
) -> list[Evaluation]:
    """Judge every rule on the signals (see pipelines/publish/signals.py for their fields).

    `sources` are the configured sources (github, jira, notes, directory); None means all.
    """
    rules = {**DEFAULT_ALERT_RULES, **(rules or {})}
    least = {**DEFAULT_ALERT_MIN_EVIDENCE, **(min_evidence or {})}
    sources = {"github", "jira", "notes", "directory"} if sources is None else set(sources)
    return [
        _critical_never_arrived(signals, rules, least, sources),
        *_official_owner(signals, rules, least, sources),
        _tech_without_tech(signals, rules, least, sources),
        _cross_side(signals, rules, least),
    ]


def _too_little(rule: str, subject: str, count: str, key: str, least: dict) -> Evaluation:
    """Not measured: `count` (what was found) is below the rule's `min_evidence.<key>`."""
    return Evaluation(
        rule, subject, NOT_MEASURED, f"{count}, fewer than min_evidence.{key} ({least[key]})"
    )


def _critical_never_arrived(s, rules, least, sources) -> Evaluation:
    rule, subject = "critical_never_arrived_share", "critical-items"
    threshold = rules[rule]
    critical = s.latency["critical"]
    if not sources & {"github", "jira"}:
        return Evaluation(rule, subject, NOT_MEASURED, "no issue tracker (github, jira) configured")
    if not sources & {"notes"}:
        return Evaluation(rule, subject, NOT_MEASURED, "no meeting notes configured: COMEX unseen")
    if critical["items"] < least["critical_items"]:
        return _too_little(
            rule, subject, f"{critical['items']} critical field item(s)", "critical_items", least
        )
    share = critical["share_never_arrived"]
    trend = ", ".join(
        f"{m['month']} {m['reached_comex']}/{m['field_items']}" for m in s.monthly[-4:]
    )
    evidence = tuple(
        f"{i['item_id']} {_quote(i['title'])} ({i.get('origin_team') or 'team ?'}, waiting "
        f"{i['waiting_days']} days)" + (f" {i['html_url']}" if i.get("html_url") else "")
        for i in s.stuck_critical[:5]
    )
    breached = share > threshold
    return Evaluation(
        rule,
        subject,
        BREACHED if breached else OK,
        f"{share:.0%} of critical field items never reached COMEX (threshold {threshold:.0%})"
        if breached
        else f"{share:.0%} of critical field items never reached COMEX, within {threshold:.0%}",
        measure=share,
        threshold=threshold,
        measured="critical items never arrived",
        trend=f"field items that reached COMEX, by month raised: {trend}" if trend else None,
        evidence=(
            f"{critical['items'] - critical['reached_comex']} of {critical['items']} critical "
            "items still waiting; the longest:",
            *evidence,
        ),
    )


def _official_owner(s, rules, least, sources) -> list[Evaluation]:
    rule = "official_owner_min_share"
    threshold = rules[rule]
    if "directory" not in sources:
        return [Evaluation(rule, "all-domains", NOT_MEASURED, "no directory: no owners known")]
    if not s.arbitration:
        return [Evaluation(rule, "all-domains", NOT_MEASURED, "no decision attributed to a person")]
    out = []
    for row in s.arbitration:
        domain = row["decision_domain"]
        if not row.get("official_owner_role"):
            out.append(
                Evaluation(rule, domain, NOT_MEASURED, f"{domain}: no official owner declared")
            )
            continue
        if row["attributed_decisions"] < least["domain_decisions"]:
            count = f"{domain}: {row['attributed_decisions']} attributed decision(s)"
            out.append(_too_little(rule, domain, count, "domain_decisions", least))
            continue
        share = row["official_owner_share"]
        months = s.owner_share_by_month.get(domain, [])[-4:]
        trend = ", ".join(
            f"{str(m['month_start'])[:7]} {_pct(m['official_owner_share'])} of "
            f"{m['attributed_decisions']}"
            for m in months
        )
        evidence = [
            f"{d['decider_name'] or d['decider_id']}: {d['decisions']} decision(s), "
            f"{d['share_of_domain']:.0%}" + (" (official owner)" if d["is_official_owner"] else "")
            for d in s.deciders.get(domain, [])[:3]
        ]
        evidence += [
            f"{_day(d['decided_at'])} {d['decided_by_name'] or '?'}: {_quote(d['decision_text'])}"
            for d in s.recent_decisions.get(domain, [])[:3]
        ]
        breached = share < threshold
        role = row["official_owner_role"]
        out.append(
            Evaluation(
                rule,
                domain,
                BREACHED if breached else OK,
                f"{domain}: the official owner ({role}) took {share:.0%} of decisions; "
                f"{row['top_decider_name'] or row['top_decider_person_id']} took "
                f"{row['top_decider_share']:.0%}"
                if breached
                else f"{domain}: the official owner ({role}) took {share:.0%} of decisions",
                measure=share,
                threshold=threshold,
                direction="below",
                measured="official owner's share",
                trend=f"owner's share by month: {trend}" if trend else None,
                evidence=(
                    f"{row['attributed_decisions']} of {row['taken_decisions']} taken decisions "
                    "attributed",
                    *evidence,
                ),
            )
        )
    return out


def _tech_without_tech(s, rules, least, sources) -> Evaluation:
    rule, subject = "tech_decisions_without_tech", "comex"
    threshold = rules[rule]
    if "notes" not in sources:
        return Evaluation(rule, subject, NOT_MEASURED, "no meeting notes configured")
    if "directory" not in sources:
        return Evaluation(rule, subject, NOT_MEASURED, "no directory: nobody's side is known")
    if s.comex_decisions < least["comex_decisions"]:
        count = f"{s.comex_decisions} decision(s) taken at COMEX"
        return _too_little(rule, subject, count, "comex_decisions", least)
    count = len(s.tech_without_tech)
    by_month: dict[str, int] = {}
    for d in s.tech_without_tech:
        by_month[_day(d["decided_at"])[:7]] = by_month.get(_day(d["decided_at"])[:7], 0) + 1
    breached = count > threshold
    return Evaluation(
        rule,
        subject,
        BREACHED if breached else OK,
        f"{count} technical decision(s) taken at COMEX with no tech person present",
        measure=float(count),
        threshold=threshold,
        unit="count",
        measured="technical decisions at COMEX without tech",
        trend="by month: " + ", ".join(f"{m} {n}" for m, n in sorted(by_month.items()))
        if by_month
        else None,
        evidence=tuple(
            f"{_day(d['decided_at'])} {d['meeting_id']}: {_quote(d['decision_text'])}"
            for d in s.tech_without_tech[:5]
        ),
    )


def _cross_side(s, rules, least) -> Evaluation:
    rule, subject = "cross_side_drop", "cross-side"
    threshold = rules[rule]
    cs = s.cross_side
    if cs["weeks"] < least["weeks"]:
        return _too_little(rule, subject, f"{cs['weeks']} week(s) of interactions", "weeks", least)
    drop = cs["cross_side_drop"]
    if drop is None:
        return Evaluation(rule, subject, NOT_MEASURED, "no cross-side interaction before")
    recent, previous = cs["recent_cross_side_share"], cs["previous_cross_side_share"]
    weekly = ", ".join(
        f"{str(w['week_start'])[:10]} {_pct(w['cross_side_share'])}" for w in s.weekly[-8:]
    )
    breached = drop > threshold
    return Evaluation(
        rule,
        subject,
        BREACHED if breached else OK,
        f"cross-side interaction fell {drop:.0%} over the last {cs['recent_weeks']} weeks "
        f"({previous:.0%} -> {recent:.0%}): a growing silo"
        if breached
        else f"cross-side interaction {previous:.0%} -> {recent:.0%}",
        measure=drop,
        threshold=threshold,
        measured="fall of the cross-side share",
        trend=f"cross-side share by week: {weekly}" if weekly else None,
        evidence=(
            f"last {cs['recent_weeks']} weeks: {cs['recent_cross_side_interactions']} of "
            f"{cs['recent_interactions']} interactions crossed sides",
            f"the {cs['previous_weeks']} weeks before: {cs['previous_cross_side_interactions']} "
            f"of {cs['previous_interactions']}",
        ),
    )


# --------------------------------------------------------------------------- messages


def message_for(
    e: Evaluation, kind: str, *, episode: int, workspace: str, report_url: str | None, at: str
) -> dict[str, Any]:
    """The message sinks send: a plain-text body plus its fields (the webhook's JSON)."""
    head = "ALERT" if kind == FIRED else "RECOVERED"
    compare = "at most" if e.direction == "above" else "at least"
    lines = [f"[Silo Signals · {workspace}] {head} {e.alert_id}", e.title]
    what = f" ({e.measured})" if e.measured else ""
    lines.append(f"Measure{what}: {e.shown(e.measure)} (rule: {compare} {e.shown(e.threshold)})")
    if e.trend:
        lines.append(f"Trend: {e.trend}")
    if e.evidence:
        lines.append("Evidence:")
        lines.extend(f"  - {line}" for line in e.evidence)
    if report_url:
        lines.append(f"Report: {report_url}")
    return {
        "message_id": f"{e.alert_id}#{episode}:{kind}",
        "alert_id": e.alert_id,
        "kind": kind,
        "episode": episode,
        "workspace": workspace,
        "rule": e.rule,
        "subject": e.subject,
        "title": e.title,
        "measure": e.measure,
        "threshold": e.threshold,
        "trend": e.trend,
        "evidence": list(e.evidence),
        "report_url": report_url,
        "at": at,
        "text": "\n".join(lines),
    }


def sign(body: bytes, secret: str) -> str:
    """The webhook signature header's value: `sha256=` + hex HMAC-SHA256 of the body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(body: bytes, secret: str, header: str | None) -> bool:
    """True when `header` is the signature of `body` (constant-time comparison)."""
    return bool(header) and hmac.compare_digest(sign(body, secret), header)


# --------------------------------------------------------------------------- state


def state_path(workspace_root: Path) -> Path:
    """Where a workspace keeps what was sent: `<workspace>/state/alerts.json`."""
    return Path(workspace_root) / "state" / "alerts.json"


def report_link(report_url: str | None, reports_dir: Path) -> str:
    """The report's alerts section as messages link to it (`alerts.report_url` or the file)."""
    base = report_url or (Path(reports_dir) / "latency.html").resolve().as_uri()
    return base if "#" in base else f"{base}#alerts"


def empty_state() -> dict[str, Any]:
    return {"version": STATE_VERSION, "alerts": {}, "outbox": [], "sent": []}


def load_state(path: Path) -> dict[str, Any]:
    """The state file, or an empty state when there is none yet."""
    path = Path(path)
    if not path.exists():
        return empty_state()
    state = json.loads(path.read_text(encoding="utf-8"))
    if state.get("version") != STATE_VERSION:
        raise ValueError(f"{path}: alert state version {state.get('version')} is not supported")
    return state


def save_state(path: Path, state: dict[str, Any]) -> None:
    write_json(Path(path), state)


def open_alerts(state: dict[str, Any]) -> list[dict[str, Any]]:
    """Open alerts, oldest first, each with its id."""
    rows = [{"alert_id": k, **v} for k, v in state["alerts"].items() if v["status"] == "open"]
    return sorted(rows, key=lambda a: (a["opened_at"], a["alert_id"]))


def plan(
    state: dict[str, Any],
    evaluations: list[Evaluation],
    sinks: list[str],
    *,
    workspace: str,
    report_url: str | None,
    now: str,
) -> tuple[dict[str, Any], list[str]]:
    """The next state and the messages queued (ids); pure: `state` is not modified.

    Breached and not open: open (a new episode) and queue "fired" for every sink. Ok and
    open: close and queue "recovered" for every sink. Not measured: nothing changes (an
    open alert stays open: nothing says it recovered). Open alerts queue "fired" for any
    sink that has neither received nor queued it (a sink added later). Queued messages for
    sinks no longer configured are dropped.
    """
    state = copy.deepcopy(state)
    alerts, outbox = state["alerts"], state["outbox"]
    queued: list[str] = []
    for e in evaluations:
        rec = alerts.get(e.alert_id)
        if e.status == NOT_MEASURED:
            if rec is not None:
                rec["measured"] = False
            continue
        if e.status == BREACHED and (rec is None or rec["status"] == "closed"):
            episode = (rec["episode"] + 1) if rec else 1
            rec = alerts[e.alert_id] = {
                "rule": e.rule,
                "subject": e.subject,
                "status": "open",
                "episode": episode,
                "opened_at": now,
                "closed_at": None,
                "notified": [],
                "message": message_for(
                    e,
                    FIRED,
                    episode=episode,
                    workspace=workspace,
                    report_url=report_url,
                    at=now,
                ),
            }
        elif e.status == OK and rec is not None and rec["status"] == "open":
            rec["status"], rec["closed_at"] = "closed", now
            message = message_for(
                e,
                RECOVERED,
                episode=rec["episode"],
                workspace=workspace,
                report_url=report_url,
                at=now,
            )
            for sink in sinks:
                outbox.append(_entry(message, sink, now))
                queued.append(f"{message['message_id']}->{sink}")
        if rec is not None:
            rec.update(
                title=e.title, measure=e.measure, threshold=e.threshold, measured=True, seen_at=now
            )
    for rec in alerts.values():
        if rec["status"] != "open":
            continue
        fired = rec["message"]["message_id"]
        waiting = {x["sink"] for x in outbox if x["message"]["message_id"] == fired}
        for sink in sinks:
            if sink not in rec["notified"] and sink not in waiting:
                outbox.append(_entry(rec["message"], sink, now))
                queued.append(f"{fired}->{sink}")
    state["outbox"] = [x for x in outbox if x["sink"] in sinks]
    return state, queued


def _entry(message: dict[str, Any], sink: str, now: str) -> dict[str, Any]:
    return {"sink": sink, "message": message, "queued_at": now, "attempts": 0, "last_error": None}


# --------------------------------------------------------------------------- sinks


class DeliveryError(Exception):
    """A sink refused or could not take a message; `retryable` says if trying again now may
    help (a timeout, a 5xx) or not (a 4xx, a missing variable: fix and wait for next run)."""

    def __init__(self, message: str, retryable: bool = True):
        super().__init__(message)
        self.retryable = retryable


class Sink:
    """Sends one message; subclasses per type. Secrets are read at send time."""

    def __init__(self, config: SinkConfig):
        self.config = config
        self.name = config.name

    def send(self, message: dict[str, Any]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _secret(self, attr: str) -> str:
        value = self.config.env(attr)
        if not value:
            raise DeliveryError(
                f"environment variable {getattr(self.config, attr)} is not set", retryable=False
            )
        return value

    def _post(self, url: str, body: bytes, headers: dict[str, str]) -> None:
        request = urllib.request.Request(url, data=body, method="POST", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout_seconds) as resp:
                resp.read()
        except urllib.error.HTTPError as exc:
            raise DeliveryError(
                f"HTTP {exc.code} {exc.reason}", retryable=exc.code == 429 or exc.code >= 500
            ) from None
        except urllib.error.URLError as exc:
            raise DeliveryError(f"cannot reach the endpoint: {exc.reason}") from None
        except (TimeoutError, ConnectionError) as exc:
            raise DeliveryError(f"cannot reach the endpoint: {type(exc).__name__}") from None
        except ValueError:
            raise DeliveryError("the URL is not valid", retryable=False) from None


class SlackSink(Sink):
    """A Slack incoming webhook (or anything that takes `{"text": ...}`)."""

    def send(self, message: dict[str, Any]) -> None:
        url = self._secret("webhook_env")
        body = json.dumps({"text": message["text"]}).encode()
        self._post(url, body, {"Content-Type": "application/json"})


class WebhookSink(Sink):
    """The message as JSON, signed: `X-Silo-Signature: sha256=<HMAC of the body>`."""

    def send(self, message: dict[str, Any]) -> None:
        secret = self._secret("secret_env")
        body = json.dumps(message, sort_keys=True, ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(body, secret),
            "X-Silo-Delivery": message["message_id"],
            "X-Silo-Event": message["kind"],
        }
        self._post(self.config.url, body, headers)


class EmailSink(Sink):
    """SMTP: STARTTLS when the server offers it; credentials only over TLS unless
    `require_tls: false`."""

    def send(self, message: dict[str, Any]) -> None:
        c = self.config
        mail = EmailMessage()
        mail["Subject"] = message["text"].splitlines()[0]
        mail["From"] = c.sender
        mail["To"] = ", ".join(c.to)
        mail["X-Silo-Alert"] = message["message_id"]
        mail.set_content(message["text"])
        credentials = (
            (self._secret("username_env"), self._secret("password_env"))
            if (c.username_env)
            else None
        )
        try:
            with smtplib.SMTP(c.smtp_host, c.smtp_port, timeout=c.timeout_seconds) as smtp:
                smtp.ehlo()
                tls = smtp.has_extn("starttls")
                if tls:
                    smtp.starttls(context=ssl.create_default_context())
                    smtp.ehlo()
                if credentials:
                    if not tls and c.require_tls:
                        raise DeliveryError(
                            "the server offers no STARTTLS; credentials are not sent in clear "
                            "(set require_tls: false to allow it)",
                            retryable=False,
                        )
                    smtp.login(*credentials)
                smtp.send_message(mail)
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(f"SMTP login refused ({exc.smtp_code})", retryable=False) from None
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(f"SMTP {exc.smtp_code}", retryable=exc.smtp_code < 500) from None
        except smtplib.SMTPException as exc:
            raise DeliveryError(f"SMTP error: {type(exc).__name__}") from None
        except (OSError, ssl.SSLError) as exc:
            raise DeliveryError(f"cannot reach the SMTP server: {exc}") from None


class FileSink(Sink):
    """Appends each message, a blank line between them, to a log file."""

    def send(self, message: dict[str, Any]) -> None:
        path = self.config.path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8") as out:
                out.write(f"{message['at']} {message['message_id']}\n{message['text']}\n\n")
        except OSError as exc:
            raise DeliveryError(f"cannot write {path}: {exc.strerror}") from None


SINKS: dict[str, type[Sink]] = {
    "slack": SlackSink,
    "webhook": WebhookSink,
    "email": EmailSink,
    "file": FileSink,
}


def make_sink(config: SinkConfig) -> Sink:
    return SINKS[config.type](config)


def _redact(text: str, config: SinkConfig) -> str:
    """Belt and braces: no secret value may survive into an error message."""
    for attr in ("webhook_env", "secret_env", "username_env", "password_env"):
        value = config.env(attr)
        if value:
            text = text.replace(value, "<redacted>")
    return text


# --------------------------------------------------------------------------- delivery


@dataclass
class RunReport:
    """What one run did: for the run's log, the asset's metadata and the CLI."""

    open: list[dict[str, Any]] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    sent: list[tuple[str, str]] = field(default_factory=list)  # (message id, sink)
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (sink, message, error)
    pending: int = 0


def deliver(
    state: dict[str, Any],
    sinks: list[Sink],
    *,
    now: Callable[[], str],
    retries: int = 3,
    backoff_seconds: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    save: Callable[[dict[str, Any]], None] = lambda state: None,
    report: RunReport | None = None,
) -> RunReport:
    """Send the outbox in order; `save` is called after each delivery. A sink that fails
    `retries` times (or once, when retrying cannot help) is skipped for the rest of the run,
    its messages kept for the next one."""
    report = report or RunReport()
    by_name = {s.name: s for s in sinks}
    down: set[str] = set()
    for entry in list(state["outbox"]):
        sink = by_name.get(entry["sink"])
        if sink is None or sink.name in down:
            continue
        message = entry["message"]
        error = None
        for attempt in range(retries):
            entry["attempts"] += 1
            try:
                sink.send(message)
                error = None
                break
            except DeliveryError as exc:
                error = _redact(str(exc), sink.config)
                if not exc.retryable:
                    break
            if attempt + 1 < retries:
                sleep(backoff_seconds * 2**attempt)
        if error is None:
            state["outbox"].remove(entry)
            state["sent"] = [
                *state["sent"],
                {"message_id": message["message_id"], "sink": sink.name, "sent_at": now()},
            ][-SENT_LOG_LIMIT:]
            rec = state["alerts"].get(message["alert_id"])
            if (
                message["kind"] == FIRED
                and rec is not None
                and rec["episode"] == message["episode"]
                and sink.name not in rec["notified"]
            ):
                rec["notified"].append(sink.name)
            report.sent.append((message["message_id"], sink.name))
        else:
            entry["last_error"], entry["last_attempt_at"] = error, now()
            report.failures.append((sink.name, message["message_id"], error))
            down.add(sink.name)
        save(state)
    report.pending = len(state["outbox"])
    return report


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def run_alerts(
    state_path: Path,
    evaluations: list[Evaluation],
    sink_configs: tuple[SinkConfig, ...] | list[SinkConfig],
    *,
    workspace: str,
    report_url: str | None = None,
    retries: int = 3,
    backoff_seconds: float = 1.0,
    now: Callable[[], str] = _utc_now,
    sleep: Callable[[float], None] = time.sleep,
) -> RunReport:
    """Plan and deliver under the workspace's lock; the state is saved before any message
    leaves (so nothing queued is forgotten) and after each delivery."""
    state_path = Path(state_path)
    sinks = [make_sink(c) for c in sink_configs]
    # one alert run at a time per workspace (a schedule and a CLI run may overlap)
    with waiting_lock(state_path.with_suffix(".lock")):
        previous = load_state(state_path)
        before = {k: v["status"] for k, v in previous["alerts"].items()}
        state, _ = plan(
            previous,
            evaluations,
            [s.name for s in sinks],
            workspace=workspace,
            report_url=report_url,
            now=now(),
        )
        save_state(state_path, state)
        report = RunReport(
            opened=[
                k
                for k, v in state["alerts"].items()
                if v["status"] == "open" and before.get(k) != "open"
            ],
            recovered=[
                k
                for k, v in state["alerts"].items()
                if v["status"] == "closed" and before.get(k) == "open"
            ],
        )
        deliver(
            state,
            sinks,
            now=now,
            retries=retries,
            backoff_seconds=backoff_seconds,
            sleep=sleep,
            save=lambda s: save_state(state_path, s),
            report=report,
        )
        report.open = open_alerts(state)
        return report
