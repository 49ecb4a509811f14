"""Presence over a stream: here while it is open, gone the moment it closes, whatever the window."""

from tests.api import state
from tests.servers import wait_until


def present(app):
    """Who is here now, from /api/state (the asking test is not counted)."""
    return state(app)["present"]


def test_a_closed_stream_drops_its_page_at_once(sse_app, open_stream):
    staying = open_stream(sse_app, params={"client": "staying"})
    leaving = open_stream(sse_app, params={"client": "leaving"})
    wait_until(lambda: present(sse_app)["sse"] == 2, message="both streams counted")
    leaving.close()  # no /api/leave: only the connection closes
    wait_until(lambda: present(sse_app)["sse"] == 1, timeout=2, message="the closed stream to leave")

    def heard_of_it():
        """True once the newest presence event on the open stream counts one stream."""
        return [event["present"]["sse"] for event in staying.events("presence")][-1:] == [1]

    wait_until(heard_of_it, message="the open stream to hear of it")


def test_a_stream_without_a_client_id_is_served_but_not_counted(sse_app, open_stream):
    anonymous = open_stream(sse_app)
    wait_until(anonymous.states, message="its board")
    assert present(sse_app)["total"] == 0


def test_a_tab_with_two_streams_leaves_when_its_last_stream_closes(sse_app, open_stream):
    old = open_stream(sse_app, params={"client": "reconnecting-tab"})
    new = open_stream(sse_app, params={"client": "reconnecting-tab"})
    wait_until(lambda: old.states() and new.states(), message="both boards")
    assert present(sse_app)["sse"] == 1
    old.close()
    marker = open_stream(sse_app, params={"client": "marker"})  # opened and closed after the old one closed
    wait_until(marker.states, message="the marker's board")
    marker.close()
    wait_until(lambda: present(sse_app)["total"] == 1, timeout=2, message="the marker's leave")
    assert present(sse_app)["sse"] == 1
    new.close()
    wait_until(lambda: present(sse_app)["sse"] == 0, timeout=2, message="the last stream's leave")


def test_an_open_stream_stays_present_past_the_presence_window(start_app, open_stream, store):
    window = 1.0
    app = start_app("sse", PRESENCE_WINDOW=window)
    stream = open_stream(app, params={"client": "quiet-tab"})
    wait_until(stream.states, message="its board")
    lease_key = store.presence.key("sse")
    first_lease_end = store.redis.zscore(lease_key, "quiet-tab")
    # The stream asks nothing; its process renews the lease. Two windows later it still counts.
    wait_until(
        lambda: store.redis.zscore(lease_key, "quiet-tab") > first_lease_end + 2 * window,
        message="the lease to be renewed past two windows",
    )
    assert present(app)["sse"] == 1
