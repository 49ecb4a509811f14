"""make room: a simulated room brought to the apps `make run-all` is running, for /compare to watch.

PAGES pages, spread evenly over the four techniques, arrive at the running apps (at HOST, on
the ports run-all reads, shared/web/siblings.py), each with its own client id
(`room-<run>-<technique>-<n>`) and speaking its page's protocol: the bench's own pages
(bench/page_group.py). While they stay, the room's HTTP pages take turns to post a city
("Room city 7") to their own app every GAP seconds, as a visitor typing one would, so no
one client comes near the apps' rate limit. Then a table per technique (bench/room_report.py),
and the pages leave, so the board's "here now" drops back.

It starts no app and no Redis: with the apps not answering it says to run `make run-all`
and exits 2. Exit 1 when a city is lost or duplicated, or the room could not arrive.
"""

import argparse
import os
import secrets
import signal
import sys
import time
from contextlib import ExitStack

import requests

from bench.page_group import PageGroup
from bench.progress import Progress
from bench.room_report import print_report, report
from bench.soak import wait_for_all
from bench.subjects import TUNED
from bench.writer import post_city
from long_polling import HOLD_SECONDS
from polling import POLL_INTERVAL_SECONDS
from shared.board.settings import Settings, number_from_env
from shared.tools import app_process
from shared.web.siblings import sibling_ports

SUBJECTS = {subject.technique: subject for subject in TUNED}  # the pages speak alike on either path
WRITERS = ("polling", "long_polling", "sse")  # their pages post a city (a websockets page emits it)
CAPPED = ("sse", "websockets")  # their apps cap the open streams or sockets of one address
ARRIVAL_GRACE_SECONDS = 30  # after the ramp, for every page to be here
DRAIN_SECONDS = 30  # after the last city, for every page to have it
CHECK_SECONDS = 0.5


def refuse(line):
    """Say what is wrong in one line and exit 2, having started nothing."""
    print(line, file=sys.stderr)
    raise SystemExit(2)


def parse_options(argv):
    """The settings, each checked: a bad one is refused in one line."""
    parser = argparse.ArgumentParser(prog="python -m bench.room", description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default="300", help="pages in the room, spread over the techniques")
    parser.add_argument("--seconds", default="60", help="how long cities flow once the room is here")
    parser.add_argument("--gap", default="3", help="seconds between two cities")
    parser.add_argument("--ramp", default="5", help="seconds over which the room arrives")
    options = parser.parse_args(argv)
    options.pages = checked(options.pages, int, "PAGES", least=len(SUBJECTS))
    options.seconds = checked(options.seconds, float, "SECONDS")
    options.gap = checked(options.gap, float, "GAP")
    options.ramp = checked(options.ramp, float, "--ramp")
    return options


def checked(text, kind, name, least=None):
    """`text` as a positive number of `kind`, at least `least`; refused otherwise."""
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or not value > 0 or (least and value < least):
        bound = f"a whole number, at least {least} (a page per technique)" if least else "a number above 0"
        refuse(f"{name} must be {bound}, not {text!r}")
    return value


def app_urls():
    """Each technique's URL, at HOST and on its port setting, where `make run-all` serves it."""
    host = os.environ.get("HOST", "127.0.0.1")
    host = "127.0.0.1" if host == "0.0.0.0" else host  # listening on every interface: reach it here
    return {technique: f"http://{host}:{port}" for technique, port in sibling_ports().items()}


def refuse_unless_answering(urls):
    """Refuse, starting nothing, unless every app answers."""
    silent = [f"{technique} at {url}" for technique, url in urls.items() if not app_process.answers(url)]
    if silent:
        refuse(f"no app answers ({', '.join(silent)}): start the apps with `make run-all` first, "
               "with the same port settings; the room brings pages, not apps")  # fmt: skip


def spread_over_techniques(pages):
    """PAGES shared out evenly, the first techniques taking one more when it does not divide."""
    share, extra = divmod(pages, len(SUBJECTS))
    return {technique: share + (number < extra) for number, technique in enumerate(SUBJECTS)}


def warn_of_the_address_cap(spread):
    """Say before starting when the SSE and websockets apps will refuse pages past their cap."""
    cap = number_from_env("MAX_STREAMS_PER_ADDRESS", Settings.max_streams_per_address, int)
    most = max(spread[technique] for technique in CAPPED)
    if cap and most > cap:
        print(f"note: {most} pages each for SSE and websockets, all from this one address, and the apps "
              f"hold at most {cap} streams or sockets per address: start them with "
              "`MAX_STREAMS_PER_ADDRESS=0 make run-all` or they refuse the rest",
              file=sys.stderr)  # fmt: skip


def cost_of(url):
    """The app's own account of its cost (GET /api/cost), or None when it gives none."""
    try:
        answer = requests.get(f"{url}/api/cost", timeout=5)
        cost = answer.json() if answer.status_code == 200 else {}
    except (requests.RequestException, ValueError):
        cost = {}
    return cost if {"cpu_seconds", "at"} <= set(cost) else None


class Room:
    """The room's pages, a PageGroup per technique, and what they leave with."""

    def __init__(self, urls, spread, ramp_seconds, stack):
        self.urls, self.spread = urls, spread
        self.run = f"room-{secrets.token_hex(2)}"
        page_options = ("--interval", f"{POLL_INTERVAL_SECONDS:g}", "--hold", f"{HOLD_SECONDS:g}")
        self.groups = {
            technique: stack.enter_context(
                PageGroup(SUBJECTS[technique], urls[technique], count, ramp_seconds,
                          self.client_prefix(technique), page_options)
            )
            for technique, count in spread.items()
        }  # fmt: skip
        self.results = {}

    def client_prefix(self, technique):
        """The client ids of the technique's pages are this, a dash and the page's number."""
        return f"{self.run}-{technique}"

    def here(self):
        """Each technique's status: pages live now, and their failures."""
        return {technique: group.status() for technique, group in self.groups.items()}

    def leave(self):
        """Every page still here leaves, as a page does; each technique's results."""
        for technique, group in self.groups.items():
            if technique not in self.results:
                self.results[technique] = group.stop()
        return self.results


def wait_for_arrivals(room, deadline, progress):
    """Wait until every page is here, or the deadline; the status of each technique then."""
    pages = sum(room.spread.values())
    while True:
        status = room.here()
        here = sum(each["live"] for each in status.values())
        progress.show(f"{here}/{pages} pages here")
        if here >= pages or time.monotonic() > deadline:
            return status
        time.sleep(CHECK_SECONDS)


def post_cities(room, options, progress):
    """A city every GAP s for SECONDS, each from the next HTTP page in turn; those stored, those refused."""
    senders = [(technique, number) for number in range(max(room.spread.values()))
               for technique in WRITERS if number < room.spread[technique]]  # fmt: skip
    session, cities, refused = requests.Session(), [], {}
    count = max(1, int(options.seconds / options.gap))
    start = time.monotonic()
    for number in range(count):
        while (wait := start + number * options.gap - time.monotonic()) > 0:
            left = options.seconds - (time.monotonic() - start)
            progress.show(f"{len(cities)} cities sent, {left:.0f} s left")
            time.sleep(min(wait, CHECK_SECONDS))
        technique, page = senders[number % len(senders)]
        client = f"{room.client_prefix(technique)}-{page}"
        outcome, city = post_city(session, room.urls[technique], f"Room city {number + 1}", client)
        if city:
            cities.append(city)
        else:
            refused[outcome] = refused.get(outcome, 0) + 1
    time.sleep(max(0.0, start + options.seconds - time.monotonic()))
    session.close()
    return cities, refused


def costs(urls):
    """Every app's GET /api/cost now (None for an app that gives none)."""
    return {technique: cost_of(url) for technique, url in urls.items()}


def say_who_did_not_arrive(missing, spread):
    """A line per technique whose pages are not all here, with their failures."""
    for technique, status in missing.items():
        hint = " (past the cap? `MAX_STREAMS_PER_ADDRESS=0 make run-all`)" if technique in CAPPED else ""
        print(f"only {status['live']} of {spread[technique]} {technique} pages arrived "
              f"(their failures: {status['errors'] or 'none'}){hint}", file=sys.stderr)  # fmt: skip


def hold_room(room, options, progress, costs_before, started):
    """Let the room arrive, cities flow, every delivery land; the report (None: it could not arrive)."""
    progress.doing(f"{sum(room.spread.values())} pages arriving")
    status = wait_for_arrivals(room, started + options.ramp + ARRIVAL_GRACE_SECONDS, progress)
    missing = {technique: each for technique, each in status.items() if each["live"] < room.spread[technique]}
    if missing:
        say_who_did_not_arrive(missing, room.spread)
        return None
    progress.doing(f"a city every {options.gap:g} s for {options.seconds:g} s")
    cities, refused = post_cities(room, options, progress)
    progress.doing("every page getting every city")
    wait_for_all(room.groups, cities, DRAIN_SECONDS)
    for group in room.groups.values():
        group.mark("room")
    costs_after = costs(room.urls)
    client_cpu = sum(sum(group.cpu_seconds()) for group in room.groups.values())
    wall = time.monotonic() - started
    progress.doing("the pages leave")
    results = room.leave()
    return report(room.spread, results, cities, refused, (costs_before, costs_after), client_cpu / wall)


def main(argv=None):
    """Check, bring the room, print the table; exit 0, or 1 on a city lost or duplicated."""
    options = parse_options(argv)
    urls = app_urls()
    refuse_unless_answering(urls)
    spread = spread_over_techniques(options.pages)
    warn_of_the_address_cap(spread)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stopped like Ctrl-C: the pages leave
    progress = Progress(options.ramp + options.seconds + 10)
    costs_before, started = costs(urls), time.monotonic()
    with ExitStack() as stack:  # on the way out, whatever happened, no page process is left running
        room = Room(urls, spread, options.ramp, stack)
        try:
            result = hold_room(room, options, progress, costs_before, started)
        except KeyboardInterrupt:
            progress.done()
            print("stopped: the room's pages leave", file=sys.stderr)
            room.leave()
            return 130
        progress.done()
        if result is None:
            room.leave()
            return 1
    print_report(result, options)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
