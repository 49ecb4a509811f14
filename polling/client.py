"""Follow the board from a terminal by polling, as the page does.

    python -m polling.client http://127.0.0.1:5001 [--interval 2] [--updates N]

Same protocol as static/polling.js: ask /api/state on a timer with If-None-Match,
so an unchanged board costs an empty 304; print what each changed answer brings.
"""

import argparse

from shared.tools.follower import HttpFollower

REQUEST_TIMEOUT_SECONDS = 10


class PollingFollower(HttpFollower):
    """One polling client: the shared follower plus the ETag of the board it shows."""

    def __init__(self, base_url, session=None):
        super().__init__(base_url, session)
        self.etag = None

    def poll_once(self):
        """Ask once; return the changes (an empty list for an unchanged board)."""
        headers = {"If-None-Match": self.etag} if self.etag else {}
        response = self.get("/api/state", REQUEST_TIMEOUT_SECONDS, headers=headers)
        if response.status_code == 304:
            return []
        response.raise_for_status()
        self.etag = response.headers["ETag"]
        return self.view.apply_state(response.json())


def main():
    """Parse the command line and follow the board until Ctrl-C (or N updates)."""
    parser = argparse.ArgumentParser(description="Follow the meetup board by polling.")
    parser.add_argument("url", help="the polling app, e.g. http://127.0.0.1:5001")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between polls")
    parser.add_argument("--updates", type=int, help="stop after this many updates")
    args = parser.parse_args()
    follower = PollingFollower(args.url)
    follower.follow(follower.poll_once, args.updates, pause=args.interval)


if __name__ == "__main__":
    main()
