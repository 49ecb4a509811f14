"""A tab that reconnects to another process stays "here now" the whole time its connections overlap.

Two processes of one technique on one Redis, as behind a load balancer: the tab's
new connection opens on B while its old one on A is still open, then the old one
closes. A must not end a lease that B now holds.
"""

import time

import gevent
import pytest

from tests.api import state
from tests.servers import wait_until


def open_connection(technique, app, client, open_socket, open_stream):
    """Open one page connection of `technique` to `app` as `client`, counted once this returns."""
    if technique == "websockets":
        return open_socket(app, auth={"client": client})
    stream = open_stream(app, params={"client": client})
    wait_until(stream.states, message=f"{client}'s board")  # sent after the stream's page is counted
    return stream


def counted(store, technique, client):
    """True while the store holds a running lease for this page."""
    lease_end = store.redis.zscore(store.presence.key(technique), client)
    return lease_end is not None and lease_end > time.time()


class LeaseWatch:
    """Samples, until stopped, whether the store counts one page: a drop of any length shows up."""

    def __init__(self, store, technique, client):
        self.store, self.technique, self.client = store, technique, client
        self.samples = []
        self._sampler = gevent.spawn(self._sample_forever)

    def _sample_forever(self):
        """Record, every few milliseconds, whether the page's lease is running."""
        while True:
            self.samples.append(counted(self.store, self.technique, self.client))
            gevent.sleep(0.005)

    def stop(self):
        """Stop sampling; return the samples taken."""
        self._sampler.kill()
        return self.samples


def samples_while_closing(store, technique, connection, its_app, connect):
    """Close one of the tab's two connections and return whether it counted, sampled meanwhile."""
    watch = LeaseWatch(store, technique, "moving-tab")
    connection.close()
    # Opened and closed on the same process after that connection closed: once its
    # leave shows, the closed connection's has been handled too.
    connect(its_app, "marker").close()
    wait_until(lambda: not counted(store, technique, "marker"), timeout=5, message="the marker's leave")
    # A drop that starts late must show up too: sample on for a while after the last leave.
    taken = len(watch.samples)
    wait_until(lambda: len(watch.samples) > taken + 50, message="50 more samples")
    return watch.stop()


@pytest.mark.parametrize("technique", ["websockets", "sse"])
def test_a_tab_moving_to_another_process_is_counted_the_whole_time(
    technique, start_app, store, open_socket, open_stream
):
    first, second = start_app(technique), start_app(technique)

    def connect(app, client):
        """Open a connection of this technique."""
        return open_connection(technique, app, client, open_socket, open_stream)

    old = connect(first, "moving-tab")
    new = connect(second, "moving-tab")
    samples = samples_while_closing(store, technique, old, first, connect)
    assert all(samples), f"dropped in {samples.count(False)} of {len(samples)} samples"
    assert state(first)["present"][technique] == 1
    # The other order: the tab moves back to the first process, and that newer connection closes first.
    newest = connect(first, "moving-tab")
    samples = samples_while_closing(store, technique, newest, first, connect)
    assert all(samples), f"dropped in {samples.count(False)} of {len(samples)} samples"
    # The handover keeps no page forever: when its last connection closes, it leaves at once.
    new.close()
    wait_until(lambda: state(first)["present"][technique] == 0, timeout=2, message="the tab to leave")
