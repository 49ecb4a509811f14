"""docs/comparison.md, made from the results alone: the method, the machine, the table, a reading.

Every run has the textbook path beside the tuned one (bench/paths.py) and the reconnect
storm; a FULL run adds two sections: capacity and a slow network.
"""

from bench.paths import last_held, paths_section
from bench.report import markdown_table, number

METHOD = (
    "Each technique's app runs in its own process, as `make run-*` runs it, on a fresh Redis of its own; "
    "the pages run in separate processes and speak exactly the page's protocol: polling with its ETag, "
    "long polling with its cursor (bench/http_pages.py, over a client that counts every byte at the "
    "socket, headers included), socket.io over the WebSocket transport with `auth` (bench/node/pages.mjs, "
    "the official socket.io-client under Node). Delay is from the server's `at` to the page's receipt, "
    "on one clock. Every page's cities are checked against the writer's list. The references, driven "
    "by the same pages and writer, have no Redis: a minimal Flask-SocketIO app on gevent "
    "(bench/reference_app.py) and Node's own socket.io server (bench/node/server.mjs). The server and "
    "the pages share the machine's cores: read ratios between columns, not absolute figures."
)
LOAD_GENERATOR = (
    "Why Node's client plays the socket.io pages: measured here on 2026-12-02 against Node's server, "
    "1,000 and 3,000 sockets, a city every 300 ms, it spent 22 to 33 µs of CPU per delivery, against "
    "109 to 134 µs for python-socketio's asyncio client and 162 to 260 µs for its client on gevent. At "
    "3,000 pages both Python clients used a whole core and fell further behind with every city (delays "
    "of 1 to 8 s), while Node's used a quarter of one. The busiest client process's CPU is in the table: "
    "above 85 % it is flagged, as it may be what limits the run."
)
CAPACITY_METHOD = (
    "N raised step by step, the pages arriving 500 a second, 6 s of cities at the same rate, until "
    "p95 delay passed 500 ms (the websocket-shootout criterion; for polling, its 2 s interval plus "
    "500 ms), or a page was lost, got a city twice, or never got live."
)
STORM_METHOD = (
    "N pages connected, then the server stopped and started again on the same port (the pages' own "
    "backoff and jitter bring them back), and one city posted the moment it answered: the time from "
    "that moment until every page had the city, and the Redis commands from the restart until then. "
    "The references keep nothing to catch up with, so "
    "only the board's apps face it."
)


def run_of(results, name):
    """The main run of one subject, or None."""
    return next((run for run in results["runs"] if run["subject"] == name), None)


def label_of(results, name):
    """A subject's label, as its main run has it."""
    run = run_of(results, name)
    return run["label"] if run else name


def parameters(results):
    """One sentence: how the figures were made."""
    plan = results["plan"]
    return (
        f"{plan['pages']:,} pages per technique, each with its own client id, arriving within "
        f"{plan['ramp_seconds']:g} s; {plan['settle_seconds']:g} s to settle, then "
        f"{plan['idle_seconds']:g} s with no news; then one city every "
        f"{1000 / plan['rate']:.0f} ms for {plan['seconds']:g} s"
    )


def machine_line(results):
    """The machine and the versions, in one paragraph."""
    machine = results["machine"]
    packages = ", ".join(f"{name} {version}" for name, version in machine["packages"].items())
    return (
        f"{machine['cores']} cores ({machine['cpu']}), Python {machine['python']}, Node {machine['node']}; "
        f"{packages}."
    )


def ratio(value, reference):
    """value / reference as '1.80×', or '-' when either is missing."""
    if not value or not reference:
        return "-"
    return f"{value / reference:.2f}×"


def per_quiet_minute(run):
    """Requests (or frames) per idle page-minute, in words."""
    idle = run.get("per_idle_page_minute") or {}
    if idle.get("frames"):
        return f"{idle['frames']:.1f} frames"
    return f"{idle.get('requests', 0):.1f} requests"


def reading(results):
    """A short reading of the table, its numbers taken from the results."""
    runs = {run["subject"]: run for run in results["runs"]}
    sentences = []
    if {"polling", "long_polling"} <= runs.keys():
        polling, long_polling = runs["polling"], runs["long_polling"]
        sentences.append(
            f"Polling's median delay, {number(polling['delay_ms']['p50'])} ms, is half its interval: the "
            f"price of asking on a timer. Long polling's is {number(long_polling['delay_ms']['p50'])} ms, "
            f"and a quiet page costs it {per_quiet_minute(long_polling)} a minute against polling's "
            f"{per_quiet_minute(polling)}."
        )
    if {"websockets", "node_socketio", "flask_socketio"} <= runs.keys():
        ours, node, tutorial = (runs[name] for name in ("websockets", "node_socketio", "flask_socketio"))
        sentences.append(
            "What staying in Python costs: the board's websockets app reaches its p99 delay at "
            f"{ratio(ours['delay_ms']['p99'], node['delay_ms']['p99'])} Node's socket.io server's and "
            f"{ratio(ours['delay_ms']['p99'], tutorial['delay_ms']['p99'])} the minimal Flask-SocketIO "
            f"app's, in the same run, and holds {number(ours['server']['peak_kib_per_page'])} KiB per "
            f"socket against Node's {number(node['server']['peak_kib_per_page'])}."
        )
        sentences.append(
            f"Neither compresses its frames ({number(ours['per_city']['bytes'])} bytes a city against "
            f"Node's {number(node['per_city']['bytes'])}): the board's app hides the permessage-deflate "
            "offer of browsers and the socket.io client (websockets/__init__.py, `without_compression`), "
            "since events of about a hundred bytes gain little from it and each socket would keep a zlib "
            "context; on the tuned path each event is then framed once for every socket "
            "(shared/tuning/fanout.py)."
        )
    spoiled = [run["label"] for run in results["runs"] if run["lost"] or run["duplicated"]]
    sentences.append(
        f"Cities lost or doubled: {', '.join(spoiled)}."
        if spoiled
        else "No page lost a city or got one twice."
    )
    return " ".join(sentences)


def capacity_section(results):
    """The capacity steps, one row per subject (FULL runs only)."""
    if "capacity" not in results:
        return []
    lines = ["## Capacity", "", CAPACITY_METHOD, ""]
    lines += ["| | last N that held | first N that did not, and why |", "|---|---:|---|"]
    for name, steps in results["capacity"].items():
        failed = next((step for step in steps if not step.get("held")), None)
        last = number(last_held(results, name))
        lines.append(f"| {label_of(results, name)} | {last} | {why_it_failed(failed)} |")
    return [*lines, ""]


def why_it_failed(step):
    """Why a capacity step failed, in a few words."""
    if step is None:
        return "all steps held"
    if "failed" in step:
        return f"{step['pages']:,}: {step['failed']}"
    reasons = [f"p95 {number(step['delay_ms']['p95'])} ms"]
    if step["arrival"]["live"] < step["pages"]:
        reasons.append(f"{step['arrival']['live']:,} live")
    if step["lost"]:
        reasons.append(f"{step['lost']:,} deliveries lost")
    if step["arrival"]["errors"]:
        reasons.append(f"errors: {errors_in_words(step['arrival']['errors'])}")
    return f"{step['pages']:,}: " + ", ".join(reasons)


def errors_in_words(errors):
    """'3× refused; 1× timeout', or 'none'."""
    return "; ".join(f"{count:,}× {reason}" for reason, count in errors.items()) or "none"


def storm_section(results):
    """The reconnect storm of every board app."""
    if "storm" not in results:
        return []
    lines = ["## The reconnect storm", "", STORM_METHOD, ""]
    lines += [
        "| | pages | seconds until all have the city | Redis commands meanwhile | errors the pages saw |",
        "|---|---:|---:|---:|---|",
    ]
    for name, storm in results["storm"].items():
        seconds = storm.get("seconds_until_all_have_it")
        outcome = f"{seconds} ({storm['have']:,} have it)" if seconds is not None else storm.get("failed")
        commands, errors = number(storm.get("redis_commands")), errors_in_words(storm.get("errors", {}))
        lines.append(
            f"| {label_of(results, name)} | {storm['pages']:,} | {outcome} | {commands} | {errors} |"
        )
    return [*lines, ""]


def latency_section(results):
    """The same run over a slow network (FULL runs only)."""
    if not results.get("latency"):
        return []
    delay = results["latency"][0]["network_delay_ms_each_way"]
    intro = (
        f"The same run with every page behind a user-space TCP proxy (bench/proxy.py) that delays "
        f"each direction by {delay:g} ms, as a real network would; the writer stays on the server's side."
    )
    return ["## Over a slow network", "", intro, "", markdown_table({"runs": results["latency"]}), ""]


def notes(results):
    """Remarks added to the results after the run, each a paragraph: what was measured apart, and why."""
    return [line for note in results.get("notes", []) for line in (f"Note: {note}", "")]


def comparison(results):
    """The whole of docs/comparison.md."""
    lines = [
        "# The techniques measured side by side",
        "",
        f"Written by `make bench` on {results['date']} from [comparison.json](comparison.json); run it "
        "again rather than editing this file. `make bench FULL=1` adds 1,000 pages, capacity and a slow "
        "network.",
        "",
        "## How it was measured",
        "",
        f"{parameters(results)}. {METHOD}",
        "",
        *notes(results),
        LOAD_GENERATOR,
        "",
        f"Machine: {machine_line(results)}",
        "",
        "## The table",
        "",
        markdown_table(results),
        "",
        reading(results),
        "",
        *paths_section(results),
        *capacity_section(results),
        *storm_section(results),
        *latency_section(results),
        "## Charts",
        "",
        "![Delivery delay, per technique](img/delay-distribution.png)",
        "![Bytes on the wire per delivered city and per idle page-minute](img/bytes-per-city.png)",
        "![Delay against the number of pages](img/delay-vs-pages.png)",
        "",
    ]
    return "\n".join(lines)
