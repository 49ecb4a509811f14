"""Textbook against tuned, same run: each board technique's two columns set side by side, with a ratio.

The textbook path (TEXTBOOK=1) is each app as a tutorial writes it; the tuned path
plugs in shared/tuning/. `make bench` runs both, one after the other, on the same
machine and the same plan, so their ratio is the tunings' work and little else.
comparison.md shows every figure here; each section of docs/tuning.md shows the
figures its tuning is about (TUNINGS).
"""

from bench.report import number

TECHNIQUES = {"polling": "polling", "long_polling": "long polling", "sse": "SSE", "websockets": "websockets"}


def idle_messages(run):
    """Requests (HTTP pages) or frames (sockets) per idle page-minute, or None."""
    idle = run.get("per_idle_page_minute")
    return (idle["frames"] or idle["requests"]) if idle else None


def arriving_messages(run):
    """Requests or frames per page while the room arrived and its news settled, or None."""
    arriving = run.get("per_page_arriving")
    return (arriving["frames"] or arriving["requests"]) if arriving else None


def redis_per_idle_page_minute(run):
    """Redis commands per page per minute with nothing happening, or None."""
    idle = (run.get("redis") or {}).get("idle")
    return idle["commands_per_second"] * 60 / run["pages"] if idle else None


def cpu_per_1000_deliveries(run):
    """Server CPU ms per 1,000 deliveries while writing, or None (nothing delivered)."""
    return run["server"]["cpu_ms_per_1000_deliveries"]


def redis_writing(run):
    """Redis commands a second while the cities were written, or None (the references have no Redis)."""
    return run["redis"]["writing"]["commands_per_second"] if run.get("redis") else None


def last_held(results, name):
    """The capacity a subject reached (the largest N that held), or None."""
    steps = results.get("capacity", {}).get(name, [])
    return max((step["pages"] for step in steps if step.get("held")), default=None)


def storm(field):
    """A figure of a subject's reconnect storm, or None (it failed, or there was none)."""
    return lambda results, name: results.get("storm", {}).get(name, {}).get(field)


def of_run(figure):
    """A figure read from a subject's main run."""

    def read(results, name):
        run = next((run for run in results["runs"] if run["subject"] == name), None)
        return figure(run) if run else None

    return read


# key: (label, digits, figure(results, subject name) -> number or None)
FIGURES = {
    "delay_p50": ("delay p50 ms", 0, of_run(lambda run: run["delay_ms"]["p50"])),
    "delay_p99": ("delay p99 ms", 0, of_run(lambda run: run["delay_ms"]["p99"])),
    "cpu": ("server CPU ms per 1,000 deliveries", 0, of_run(cpu_per_1000_deliveries)),
    "idle_messages": ("requests or frames per idle page-minute", 1, of_run(idle_messages)),
    "redis_idle": ("Redis commands per idle page-minute", 1, of_run(redis_per_idle_page_minute)),
    "redis_writing": ("Redis commands/s while writing", 0, of_run(redis_writing)),
    "arriving": ("messages per page while the room arrives", 1, of_run(arriving_messages)),
    "storm_seconds": ("reconnect storm: s until all have a city", 2, storm("seconds_until_all_have_it")),
    "storm_redis": ("reconnect storm: Redis commands", 0, storm("redis_commands")),
    "capacity": ("capacity, pages (FULL)", 0, last_held),
    "lost": ("cities lost", 0, of_run(lambda run: run["lost"])),
}  # fmt: skip
# Each section of docs/tuning.md: the figures its tuning is about, for the techniques it changes.
TUNINGS = {
    "leases": (("redis_idle", "idle_messages"), ("polling", "long_polling")),
    "coalesce": (("arriving",), tuple(TECHNIQUES)),
    "memory": (("redis_writing", "redis_idle", "delay_p99"), tuple(TECHNIQUES)),
    "fanout": (("delay_p50", "delay_p99", "cpu", "capacity"), ("websockets",)),
    "openings": (("storm_seconds", "storm_redis", "arriving"), ("sse", "websockets")),
}


def pair(results, key, technique):
    """'646 / 250 = 2.58×': the textbook figure, the tuned one, and their ratio ('-' where one is missing)."""
    _label, digits, figure = FIGURES[key]
    textbook, tuned = figure(results, technique + "_textbook"), figure(results, technique)
    if textbook is None and tuned is None:
        return "-"
    ratio = f" = {textbook / tuned:,.2f}×" if textbook and tuned else ""
    return f"{number(textbook, digits)} / {number(tuned, digits)}{ratio}"


def paths_table(results, keys, techniques):
    """A Markdown table: a row per figure, a column per technique, each cell textbook / tuned = ratio."""
    present = [key for key in keys if any(pair(results, key, name) != "-" for name in techniques)]
    lines = [
        "| textbook / tuned = ratio | " + " | ".join(TECHNIQUES[name] for name in techniques) + " |",
        "|---" + "|---:" * len(techniques) + "|",
    ]
    lines += [
        f"| {FIGURES[key][0]} | " + " | ".join(pair(results, key, name) for name in techniques) + " |"
        for key in present
    ]
    return "\n".join(lines)


def paths_section(results):
    """The section of comparison.md that sets each technique's textbook path beside its tuned one."""
    if not any(run["subject"].endswith("_textbook") for run in results["runs"]):
        return []
    intro = (
        "Each board technique ran twice in this run, as a tutorial writes it (`TEXTBOOK=1`) and with "
        "the crowd tunings of `shared/tuning/` plugged in (the default); each cell is the textbook "
        "figure, the tuned one, and the first divided by the second. "
        "[tuning.md](tuning.md) takes the tunings one by one."
    )
    return [
        "## Textbook against tuned, same run",
        "",
        intro,
        "",
        paths_table(results, FIGURES, TECHNIQUES),
        "",
    ]
