"""Follow the board from a terminal by long polling, as the page does.

    python -m long_polling.client http://127.0.0.1:5002 [--hold 25] [--updates N]

Same protocol as static/long_polling.js: take the board once from /api/state,
then ask /api/updates for the events after its cursor, again and again; the
server holds each question until there is news. Read polling/client.py first.
"""

import argparse

from shared.tools.follower import HttpFollower

# The server holds a request up to `hold` seconds; give the answer a margin on top.
ANSWER_MARGIN_SECONDS = 10


class LongPollingFollower(HttpFollower):
    """One long polling client: the shared follower plus the cursor of what it has seen."""

    def __init__(self, base_url, hold_seconds=25.0, session=None):
        super().__init__(base_url, session)
        self.hold_seconds = hold_seconds
        self.cursor = None

    def wait_once(self):
        """Ask once, waiting for news; return the changes (an empty list on a timeout)."""
        request_timeout = self.hold_seconds + ANSWER_MARGIN_SECONDS
        if self.cursor is None:
            response = self.get("/api/state", request_timeout)
        else:
            params = {"cursor": self.cursor, "timeout": self.hold_seconds}
            response = self.get("/api/updates", request_timeout, params)
        response.raise_for_status()
        answer = response.json()
        if "events" not in answer:  # the first answer, or the cursor was too old
            state = answer.get("state", answer)
            self.cursor = state["cursor"]
            return self.view.apply_state(state)
        self.cursor = answer["cursor"]
        return [change for event in answer["events"] for change in self.view.apply_event(event)]


def main():
    """Parse the command line and follow the board until Ctrl-C (or N updates)."""
    parser = argparse.ArgumentParser(description="Follow the meetup board by long polling.")
    parser.add_argument("url", help="the long polling app, e.g. http://127.0.0.1:5002")
    parser.add_argument("--hold", type=float, default=25.0, help="seconds the server may hold a request")
    parser.add_argument("--updates", type=int, help="stop after this many updates")
    args = parser.parse_args()
    follower = LongPollingFollower(args.url, args.hold)
    follower.follow(follower.wait_once, args.updates)


if __name__ == "__main__":
    main()
