"""Follow the board from a terminal by polling, as the page does.

    python -m polling.client http://127.0.0.1:5001 [--interval 2] [--updates N]

Same protocol as static/polling.js: ask /api/state on a timer with If-None-Match,
so an unchanged board costs an empty 304; print what each changed answer brings.
"""

import argparse
import contextlib
import time

import requests

from shared.backoff import retry_delay
from shared.terminal import BoardView, WireCount, new_client_id, report

REQUEST_TIMEOUT_SECONDS = 10
RETRY_FIRST_SECONDS, RETRY_MAX_SECONDS = 1, 30


class PollingFollower:
    """One polling client: its id, the board it knows and what polling it has cost."""

    def __init__(self, base_url, session=None):
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()
        self.client = new_client_id()
        self.etag = None
        self.view = BoardView()
        self.wire = WireCount()

    def poll_once(self):
        """Ask once; return the changes (an empty list for an unchanged board)."""
        headers = {"If-None-Match": self.etag} if self.etag else {}
        response = self.session.get(
            f"{self.base_url}/api/state",
            params={"client": self.client},
            headers=headers,
            timeout=REQUEST_TIMEOUT_SECONDS,
        )
        self.wire.count(response)
        if response.status_code == 304:
            return []
        response.raise_for_status()
        self.etag = response.headers["ETag"]
        return self.view.apply_state(response.json())

    def leave(self):
        """Say goodbye, as the page's sendBeacon does (a server already gone is fine)."""
        with contextlib.suppress(requests.RequestException):
            self.session.post(f"{self.base_url}/api/leave", params={"client": self.client}, timeout=2)


def follow(follower, interval, updates_wanted):
    """Poll every `interval` seconds, printing changes, until `updates_wanted` arrived."""
    failures = 0
    while updates_wanted is None or len(follower.view.delays) < updates_wanted:
        try:
            changes = follower.poll_once()
        except requests.RequestException as error:
            failures += 1
            wait = retry_delay(failures, RETRY_FIRST_SECONDS, RETRY_MAX_SECONDS)
            print(f"reconnecting in {wait:.1f} s ({error.__class__.__name__})", flush=True)
            time.sleep(wait)
            continue
        failures = 0
        if changes:
            report(changes, follower.view, follower.wire)
        time.sleep(interval)


def main():
    """Parse the command line and follow the board until Ctrl-C (or N updates)."""
    parser = argparse.ArgumentParser(description="Follow the meetup board by polling.")
    parser.add_argument("url", help="the polling app, e.g. http://127.0.0.1:5001")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between polls")
    parser.add_argument("--updates", type=int, help="stop after this many updates")
    args = parser.parse_args()
    follower = PollingFollower(args.url)
    try:
        follow(follower, args.interval, args.updates)
    except KeyboardInterrupt:
        pass
    finally:
        follower.leave()


if __name__ == "__main__":
    main()
