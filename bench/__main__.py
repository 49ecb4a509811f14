"""`python -m bench` (make bench): every technique measured side by side, with the references.

Each technique runs twice, on its tuned path and on its textbook path (TEXTBOOK=1:
every crowd tuning off, docs/tuning.md); TEXTBOOK=0 or TEXTBOOK=1 in the bench's own
environment runs only that path. Quick by default (about 7 minutes), with a reconnect
storm of every board app; `--full` (make bench FULL=1) adds 1,000 pages, the capacity
search and the run through a delaying proxy. Only a run of every subject rewrites docs/.
"""

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from bench import full, report
from bench.charts import draw_charts
from bench.docs import DOCS, write_docs
from bench.progress import Progress
from bench.run import Plan, run_once
from bench.subjects import SUBJECTS, SUBJECTS_BY_NAME, default_subjects

# What FULL=1 adds takes roughly this many times a main run of each subject.
FULL_EXTRA_RUNS = 3
STORM_SECONDS = 12  # roughly, a board app's reconnect storm


def parse_options(argv):
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="larger N, capacity, latency")
    parser.add_argument("--pages", type=int, help="pages per technique (default 300; 1,000 with --full)")
    parser.add_argument("--seconds", type=float, help="seconds of writing (default 10)")
    parser.add_argument("--idle", type=float, help="seconds of quiet before writing (default 26)")
    parser.add_argument(
        "--steps",
        type=lambda text: tuple(int(n) for n in text.split(",")),
        default=full.CAPACITY_STEPS,
        help="with --full: the numbers of pages the capacity search tries, comma-separated",
    )
    parser.add_argument("--only", help="comma-separated subjects: " + ",".join(SUBJECTS_BY_NAME))
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--no-docs", action="store_true", help="leave docs/ as it is")
    options = parser.parse_args(argv)
    unknown = set((options.only or "").split(",")) - set(SUBJECTS_BY_NAME) - {""}
    if unknown:
        parser.error(
            f"no subject called {', '.join(sorted(unknown))}; there are {', '.join(SUBJECTS_BY_NAME)}"
        )
    return options


def plan_from(options):
    """The run parameters the options ask for."""
    plan = Plan(pages=1000) if options.full else Plan()
    changes = {"pages": options.pages, "seconds": options.seconds, "idle_seconds": options.idle}
    return dataclasses.replace(plan, **{name: value for name, value in changes.items() if value is not None})


def main(argv):
    """Run the subjects, print the table, and write the results (and, after a run of all, the docs)."""
    options = parse_options(argv)
    plan = plan_from(options)
    subjects = (
        [SUBJECTS_BY_NAME[name] for name in options.only.split(",")] if options.only else default_subjects()
    )
    stormed = [subject for subject in subjects if not subject.reference]
    runs_each = 1 + (FULL_EXTRA_RUNS if options.full else 0)
    progress = Progress(
        sum(plan.expected_seconds(subject) for subject in subjects) * runs_each + STORM_SECONDS * len(stormed)
    )
    try:
        runs = [run_once(subject, plan, progress) for subject in subjects]
        # The references keep nothing to catch up with, so only the board's apps face the storm.
        storm = {subject.name: full.reconnect_storm(subject, plan, progress) for subject in stormed}
        extra = measure_full(subjects, plan, progress, options.steps) if options.full else {}
    finally:
        progress.done()
    results = report.results_of(plan, runs, storm=storm, **extra)
    print(report.terminal_table(results))
    text = json.dumps(results, indent=1) + "\n"
    if options.json:
        options.json.write_text(text)
    write_docs_if_whole(results, text, options.no_docs or len(subjects) < len(SUBJECTS))
    spoiled = [run["label"] for run in runs if run["lost"] or run["duplicated"]]
    if spoiled:
        print(f"cities were lost or delivered twice: {', '.join(spoiled)} (see the table)", file=sys.stderr)
    return 1 if spoiled else 0


def write_docs_if_whole(results, text, leave_docs):
    """Rewrite docs/ from a run of every subject; a partial run (or --no-docs) leaves them, and says so."""
    if leave_docs:
        print("docs/ left as they are: only a run of every subject, both paths, rewrites them")
        return
    (DOCS / "comparison.json").write_text(text)
    draw_charts(results, DOCS / "img")
    write_docs(results)
    print(f"written: {DOCS / 'comparison.md'}, its charts in {DOCS / 'img'}, the figures the docs quote")


def measure_full(subjects, plan, progress, steps):
    """Capacity and the slow network, for every subject."""
    return {
        "capacity": {subject.name: full.capacity(subject, plan, progress, steps) for subject in subjects},
        "latency": [full.over_slow_network(subject, plan, progress) for subject in subjects],
    }


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
