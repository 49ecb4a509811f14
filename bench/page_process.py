"""One process of simulated HTTP pages, driven by the bench: `python -m bench.page_process ...`.

It speaks the same line protocol as bench/node/pages.mjs (the socket.io pages), so
the orchestrator drives every technique alike. Out, one JSON object per line:
`{"ready": N}` once every page has its first board. In, one command per line:
`status [CITY]` (pages live now, requests and deliveries so far, pages that have CITY),
`mark NAME` (snapshot the wire counts), `stop` (leave, then print the result).
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402  (imports after patching, on purpose)
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import gevent  # noqa: E402
from gevent.fileobject import FileObjectPosix  # noqa: E402
from gevent.pool import Group  # noqa: E402

from bench.http_pages import LongPollingPage, PollingPage  # noqa: E402
from bench.page_group import added_up  # noqa: E402
from bench.stream_page import StreamPage  # noqa: E402

READY_CHECK_SECONDS = 0.05


def say(message):
    """Write one line of the protocol."""
    sys.stdout.write(json.dumps(message, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def make_pages(options):
    """The pages this process runs, each with its own client id."""
    ids = [f"{options.run}-{options.first_page + number}" for number in range(options.pages)]
    if options.technique == "polling":
        return [PollingPage(options.url, client, options.interval) for client in ids]
    if options.technique == "sse":
        return [StreamPage(options.url, client) for client in ids]
    return [LongPollingPage(options.url, client, options.hold) for client in ids]


def open_pages(pages, ramp_seconds, group):
    """Start the pages spread evenly over `ramp_seconds`, as a room arrives."""
    gap = ramp_seconds / len(pages)
    for page in pages:
        group.spawn(page.run)
        gevent.sleep(gap)


def announce_when_ready(pages):
    """Say `ready` once every page has shown its first board."""
    while not all(page.live for page in pages):
        gevent.sleep(READY_CHECK_SECONDS)
    say({"ready": len(pages)})


def wire_totals(pages):
    """What has crossed the pages' connections so far."""
    connections = [page.connection for page in pages]
    return {
        "requests": sum(c.requests for c in connections),
        "frames_in": sum(page.pushed for page in pages),  # an event stream's messages
        "frames_out": 0,
        "bytes_in": sum(c.bytes_in for c in connections),
        "bytes_out": sum(c.bytes_out for c in connections),
        "at": time.time(),
    }


def all_errors(pages):
    """Every page's failures, added up by reason."""
    return added_up(page.errors for page in pages)


def status(pages, city):
    """How the pages stand now."""
    return {
        "live": sum(page.live for page in pages),
        "requests": sum(page.connection.requests for page in pages),
        "connected": sum(page.connection.sock is not None for page in pages),
        "received": sum(len(page.received) for page in pages),
        "have": sum(city in page.seen for page in pages) if city else 0,
        "errors": all_errors(pages),
    }


def obey(pages, group):
    """Answer the bench's commands until `stop` (or the end of stdin)."""
    marks = {}
    # Read stdin through gevent, so that waiting for a command never stops the pages.
    for line in FileObjectPosix(sys.stdin.fileno(), "r", close=False):
        command, _, argument = line.strip().partition(" ")
        if command == "status":
            say({"status": status(pages, argument)})
        elif command == "mark":
            marks[argument] = wire_totals(pages)
            say({"marked": argument})
        elif command == "stop":
            break
    group.kill()
    gevent.joinall([gevent.spawn(page.leave) for page in pages], timeout=10)
    result = {
        "pages": len(pages),
        "marks": marks,
        "received": [page.received for page in pages],
        "errors": all_errors(pages),
    }
    say({"result": result})


def main():
    """Run the pages the command line asks for until the bench says stop."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("technique", choices=("polling", "long_polling", "sse"))
    parser.add_argument("url")
    parser.add_argument("--pages", type=int, required=True)
    parser.add_argument("--first-page", type=int, default=0)
    parser.add_argument("--ramp", type=float, default=0.0, help="seconds over which the pages arrive")
    parser.add_argument("--run", default="bench", help="prefix of the pages' client ids")
    parser.add_argument("--interval", type=float, default=2.0, help="polling: seconds between polls")
    parser.add_argument("--hold", type=float, default=25.0, help="long polling: seconds a request is held")
    options = parser.parse_args()
    pages = make_pages(options)
    group = Group()
    gevent.spawn(open_pages, pages, options.ramp, group)
    gevent.spawn(announce_when_ready, pages)
    obey(pages, group)


if __name__ == "__main__":
    main()
