"""Fixtures: a throwaway Redis-protocol server, a store on it, and app processes, on a path.

A test's apps and stores run on its path (`textbook_or_tuned`): the tuned one,
unless its folder's conftest.py runs each path in turn (tests/behaviour/,
tests/store/). The test process is monkey-patched like the apps, so the store's
listener greenlet and redis-py's sockets cooperate here exactly as they do in a server.
"""

from gevent import monkey

monkey.patch_all()

import os  # noqa: E402  (imports after patching, on purpose)
import secrets  # noqa: E402

import pytest  # noqa: E402

from shared.board.settings import Settings  # noqa: E402
from shared.news.listener import Listener  # noqa: E402
from shared.store.store import Store  # noqa: E402
from shared.tools.embedded import EmbeddedValkey  # noqa: E402
from shared.tuning import tune_board  # noqa: E402
from shared.web.siblings import port_setting  # noqa: E402
from tests.apps import APPS, APPS_BY_TECHNIQUE, PATHS  # noqa: E402
from tests.servers import AppServer  # noqa: E402
from tests.sockets import RecordingSocket  # noqa: E402
from tests.streams import RecordingStream  # noqa: E402


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """The URL of the suite's Redis: TEST_REDIS_URL, or a throwaway embedded Valkey.

    Never the developer's own run server: the throwaway one lives in a temporary
    folder and is shut down when the session ends.
    """
    if os.environ.get("TEST_REDIS_URL"):
        yield os.environ["TEST_REDIS_URL"]
        return
    server = EmbeddedValkey(tmp_path_factory.mktemp("valkey"))
    yield server.url()
    server.stop()


@pytest.fixture
def key_prefix():
    """A key prefix of this test's own, so tests never see each other's data."""
    return f"test-{secrets.token_hex(4)}:"


@pytest.fixture
def textbook_or_tuned():
    """The path this test's apps and stores run on: the tuned one (a folder may run each in turn)."""
    return "tuned"


@pytest.fixture
def make_store(redis_url, key_prefix, textbook_or_tuned):
    """A factory of stores on the suite's Redis under this test's prefix and on its path, closed after.

    `make_store(tuned=False)` is a textbook store, `tuned=True` a tuned one. Each comes
    with its listener, as the app factory makes it; an app keeps that in
    app.extensions, a test on `store.listener`, for short tests.
    """
    stores = []

    def make(tuned=None, **overrides):
        tuned = textbook_or_tuned == "tuned" if tuned is None else tuned
        store = Store(Settings(redis_url=redis_url, key_prefix=key_prefix, textbook=not tuned, **overrides))
        store.listener = Listener(store)
        store.on_close.append(store.listener.stop)
        if tuned:
            tune_board(store, store.listener)
        stores.append(store)
        return store

    yield make
    for store in stores:
        store.close()


@pytest.fixture
def store(make_store):
    """A store with the default settings."""
    return make_store()


@pytest.fixture
def start_app(redis_url, key_prefix, tmp_path, textbook_or_tuned):
    """A factory that starts app processes on this test's path (`start_app("polling", PRESENCE_WINDOW=2)`)."""
    servers = []

    def start(technique, **env):
        server = AppServer(technique, redis_url, key_prefix, tmp_path, **PATHS[textbook_or_tuned], **env)
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(params=APPS, ids=lambda app: app.technique)
def sibling(request):
    """Each sibling app's entry in tests/apps.py in turn: the shared suites run once per technique."""
    return request.param


@pytest.fixture
def any_app(sibling, start_app):
    """Each sibling app in turn, running on this test's path, with the settings that make it quick to test."""
    return start_app(sibling.technique, **sibling.quick_env)


@pytest.fixture
def every_app(redis_url, key_prefix, tmp_path, textbook_or_tuned):
    """Every sibling app at once on one Redis and this test's path, each told the others' ports (/compare)."""
    servers = [
        AppServer(app.technique, redis_url, key_prefix, tmp_path, **app.quick_env, **PATHS[textbook_or_tuned])
        for app in APPS
    ]
    ports = {port_setting(server.technique): str(server.port) for server in servers}
    try:
        for server in servers:
            server.env.update(ports)
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def open_page():
    """A factory of stand-in pages (`open_page(app)`) that follow the board by the app's technique."""
    pages = []

    def open_(app):
        page = APPS_BY_TECHNIQUE[app.technique].open_page(app.url)
        pages.append(page)
        page.wait_for(lambda board: True, "the page's first board")
        return page

    yield open_
    for page in pages:
        page.close()


@pytest.fixture
def polling_app(start_app):
    """The polling app as a real gevent process on a free port."""
    return start_app("polling")


@pytest.fixture
def long_polling_app(start_app):
    """The long polling app as a real gevent process on a free port."""
    return start_app("long_polling")


@pytest.fixture
def sse_app(start_app):
    """The SSE app as a real gevent process on a free port."""
    return start_app("sse")


@pytest.fixture
def websockets_app(start_app):
    """The websockets app as a real gevent process (socketio.run) on a free port."""
    return start_app("websockets")


@pytest.fixture
def open_socket():
    """A factory of recording sockets (`open_socket(app, auth={...})`), all disconnected afterwards."""
    sockets = []

    def open_(app, auth=None, headers=None):
        socket = RecordingSocket(app.url, auth, headers)
        sockets.append(socket)
        return socket

    yield open_
    for socket in sockets:
        socket.close()


@pytest.fixture
def open_stream():
    """A factory of recording event streams (`open_stream(app, params={...})`), all closed afterwards."""
    streams = []

    def open_(app, params=None, headers=None):
        stream = RecordingStream(app.url, params, headers)
        streams.append(stream)
        return stream

    yield open_
    for stream in streams:
        stream.close()
