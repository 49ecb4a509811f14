"""Presence over sockets: here from connect to disconnect, exactly, whatever the presence window."""

from tests.api import state
from tests.servers import wait_until


def present(app):
    """Who is here now, from /api/state (the asking test is not counted)."""
    return state(app)["present"]


def test_a_socket_without_a_client_id_is_served_but_not_counted(websockets_app, open_socket):
    anonymous = open_socket(websockets_app)
    assert anonymous.call("ping") == "pong"
    assert present(websockets_app)["total"] == 0


def test_a_tab_with_two_sockets_leaves_when_its_last_socket_closes(websockets_app, open_socket):
    old = open_socket(websockets_app, auth={"client": "reconnecting-tab"})
    new = open_socket(websockets_app, auth={"client": "reconnecting-tab"})
    assert present(websockets_app)["websockets"] == 1
    old.close()
    # A socket opened and closed after the old one closed: once its leave shows, the old
    # one's has been handled too.
    open_socket(websockets_app, auth={"client": "marker"}).close()
    wait_until(lambda: present(websockets_app)["total"] == 1, timeout=2, message="the marker's leave")
    assert present(websockets_app)["websockets"] == 1
    new.close()
    wait_until(
        lambda: present(websockets_app)["websockets"] == 0, timeout=2, message="the last socket's leave"
    )


def test_an_open_socket_stays_present_past_the_presence_window(start_app, open_socket, store):
    window = 1.0
    app = start_app("websockets", PRESENCE_WINDOW=window)
    open_socket(app, auth={"client": "quiet-tab"})
    lease_key = store.presence.key("websockets")
    first_lease_end = store.redis.zscore(lease_key, "quiet-tab")
    # The socket asks nothing; its process renews the lease. Two windows later it still counts.
    wait_until(
        lambda: store.redis.zscore(lease_key, "quiet-tab") > first_lease_end + 2 * window,
        message="the lease to be renewed past two windows",
    )
    assert present(app)["websockets"] == 1


def test_sockets_of_a_process_that_dies_lapse_after_the_window(start_app, open_socket):
    doomed = start_app("websockets", PRESENCE_WINDOW=1)
    survivor = start_app("polling", PRESENCE_WINDOW=1)  # its sweeper notices the lapse
    open_socket(doomed, auth={"client": "orphan"})
    assert present(survivor)["websockets"] == 1
    doomed.process.kill()  # no disconnect handler runs, no leave is sent
    doomed.process.wait(timeout=5)
    wait_until(lambda: present(survivor)["websockets"] == 0, timeout=10, message="the orphan to lapse")
