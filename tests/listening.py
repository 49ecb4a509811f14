"""What a store's listener delivers, as the tests read it: events until enough, and the listener at rest."""

from tests.servers import wait_until


def collect(subscription, wanted, timeout=10):
    """Gather events from a subscription until `wanted(events)` holds."""
    events = []

    def enough():
        batch = subscription.next_batch(timeout=0.2)
        events.extend(batch or [])
        return wanted(events)

    wait_until(enough, timeout=timeout, interval=0, message="events from the listener")
    return events


def wait_until_the_listener_waits(store):
    """Wait until the store's listener is blocked in XREAD: done with its read after a batch too."""

    name = f"{store.settings.key_prefix}listener"  # as Store names its listener's connection

    def waiting():
        return any(
            client["name"] == name and client["cmd"] == "xread" for client in store.redis.client_list()
        )

    wait_until(waiting, message="the listener to wait in XREAD")
