"""make soak: every technique's pages on one Redis for a minute, cities flowing, one Redis restart.

The apps run on the tuned path, as `make run-*` serves them; `TEXTBOOK=1 make soak` soaks
the textbook path instead.

Only cities answered 201 count as written; the 503s while Redis is down are posted again
afterwards. Fails (exit 1) on any lost or duplicated city, or on memory that keeps growing:
an app whose RSS at the end is more than GROWTH_SHARE and GROWTH_MIB above its RSS after the
arrivals, and still rising across its last GROWTH_SAMPLES samples.
"""

import argparse
import secrets
import sys
import time
from contextlib import ExitStack

from bench.page_group import PageGroup
from bench.progress import Progress
from bench.servers import FreshRedis
from bench.soak_writer import post_again, write_through_outage
from bench.stats import check_deliveries
from bench.subjects import TEXTBOOK, TUNED
from shared.board.settings import textbook_from_env

GROWTH_SHARE, GROWTH_MIB, GROWTH_SAMPLES = 0.25, 20, 4
SAMPLE_EVERY_CITIES = 15  # an RSS sample of every app every 15 cities (~5 s)
READY_SECONDS = 60
CHECK_SECONDS = 0.25


def soak(options, progress):
    """Run the soak and return its report: per app, RSS samples, deliveries, losses, duplicates."""
    # TEXTBOOK=1 make soak soaks the textbook path; otherwise the tuned one, as make run-* serves it.
    subjects = {subject.technique: subject for subject in (TEXTBOOK if textbook_from_env() else TUNED)}
    with ExitStack() as stack:
        redis = FreshRedis()
        stack.callback(redis.stop)
        apps = {}
        for technique, subject in subjects.items():
            apps[technique] = subject.start_server(redis.url)
            stack.callback(apps[technique].stop)
        progress.doing(f"{options.pages} pages of each technique arriving")
        groups = {
            technique: stack.enter_context(
                PageGroup(subjects[technique], app.url, options.pages, 2, options.run_id)
            )
            for technique, app in apps.items()
        }
        for group in groups.values():
            group.wait_ready(READY_SECONDS)
        samples = {technique: [app.rss_kib()] for technique, app in apps.items()}

        def on_tick(number, count, redis_state):
            """Show the city on the bar, say when Redis goes down, sample memory now and then."""
            progress.show(f"city {number}/{count}, Redis {redis_state}")
            if number % SAMPLE_EVERY_CITIES == 0:
                for technique, app in apps.items():
                    samples[technique].append(app.rss_kib())

        progress.doing(f"writing cities; Redis restarted at {options.restart_at:g} s")
        acknowledged, refused = write_through_outage(options, redis, list(apps.values()), on_tick)
        progress.doing(f"posting again the {len(refused)} cities refused while Redis was down")
        acknowledged += post_again(refused, list(apps.values()))
        progress.doing("waiting until every page has every acknowledged city")
        wait_for_all(groups, acknowledged, options.drain_seconds)
        for technique, app in apps.items():
            samples[technique].append(app.rss_kib())
        received = {technique: group.stop()["received"] for technique, group in groups.items()}
        return report(received, acknowledged, samples, refused)


def wait_for_all(groups, cities, timeout):
    """Wait until every page of every group has every city in `cities`, or `timeout` has passed."""
    deadline = time.monotonic() + timeout
    for group in groups.values():
        for city in cities:
            while group.status(city["id"])["have"] < group.pages and time.monotonic() < deadline:
                time.sleep(CHECK_SECONDS)


def growing(kib):
    """Memory keeps growing: the end well above the start (share and MiB), and rising at the last samples."""
    start, end, last = kib[0], kib[-1], kib[-GROWTH_SAMPLES:]
    rising = len(last) == GROWTH_SAMPLES and all(a < b for a, b in zip(last, last[1:], strict=False))
    return end > start * (1 + GROWTH_SHARE) and end - start > GROWTH_MIB * 1024 and rising


def report(received, cities, samples, refused):
    """Per app: RSS after arrivals, in the middle and at the end (MiB), deliveries, losses, duplicates."""
    apps = {}
    for technique, pages in received.items():
        delivery, kib = check_deliveries(cities, pages), samples[technique]
        apps[technique] = {
            "rss_mib": [kib[0] / 1024, kib[len(kib) // 2] / 1024, kib[-1] / 1024],
            "deliveries": delivery["deliveries"],
            "lost": delivery["lost"],
            "duplicated": delivery["duplicated"],
            "memory_growing": growing(kib),
        }
    ok = not any(app["lost"] or app["duplicated"] or app["memory_growing"] for app in apps.values())
    return {"cities": len(cities), "refused": len(refused), "apps": apps, "ok": ok}


def print_report(result):
    """The report, one line per app, then PASS or FAIL."""
    path = "the textbook path (TEXTBOOK=1)" if textbook_from_env() else "the tuned path"
    print(
        f"{result['cities']} cities acknowledged ({result['refused']} refused with Redis down, posted again),"
        f" on {path}"
    )
    print(
        f"memory keeps growing = RSS at the end > {GROWTH_SHARE:.0%} and {GROWTH_MIB} MiB above"
        f" after the arrivals, and rising over the last {GROWTH_SAMPLES} samples"
    )
    for technique, app in result["apps"].items():
        before, middle, after = app["rss_mib"]
        print(f"{technique:13} RSS {before:.1f} / {middle:.1f} / {after:.1f} MiB (arrived / middle / end)  "
              f"deliveries {app['deliveries']}  lost {app['lost']}  duplicated {app['duplicated']}  "
              f"memory growing {'yes' if app['memory_growing'] else 'no'}")  # fmt: skip
    print("PASS" if result["ok"] else "FAIL")


def main(argv=None):
    """Parse the settings, run the soak, print the report; exit 1 unless it passed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100, help="pages per app")
    parser.add_argument("--seconds", type=float, default=60.0, help="of writing")
    parser.add_argument("--gap", type=float, default=0.3, help="seconds between two cities")
    parser.add_argument("--restart-at", type=float, default=30.0, help="seconds into the writing")
    parser.add_argument("--down-seconds", type=float, default=2.0, help="how long Redis stays down")
    parser.add_argument("--drain-seconds", type=float, default=30.0, help="deadline for the last deliveries")
    options = parser.parse_args(argv)
    options.run_id = f"s{secrets.token_hex(3)}"
    progress = Progress(options.seconds + 20)
    result = soak(options, progress)
    progress.done()
    print_report(result)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
