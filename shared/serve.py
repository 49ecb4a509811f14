"""Serve one app on gevent's WSGI server: `python -m shared.serve polling`.

It builds the app with its `create_app()`, adds what a reader opens beside the
board (the docs and the race page, shared/reading/), plugs in the tuning for
crowds unless TEXTBOOK=1 (shared/tuning/), and serves it.
Monkey-patching comes first, before Flask or redis-py are imported, so that every
socket they open cooperates with gevent: one process then holds thousands of
waiting requests, each a greenlet, not a thread. Werkzeug's development server
is never used. An app with a SocketIO (websockets/) is served by `socketio.run`,
which on gevent builds the same WSGI server; simple-websocket takes over the
connections that ask to become WebSockets.
"""

from gevent import monkey

monkey.patch_all()

import importlib  # noqa: E402  (imports after patching, on purpose)
import os  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402

import gevent  # noqa: E402
import redis  # noqa: E402
from gevent.pywsgi import WSGIServer  # noqa: E402

from shared import reading, tuning  # noqa: E402
from shared.board.settings import number_from_env, textbook_from_env  # noqa: E402
from shared.tools.embedded import EmbeddedValkey  # noqa: E402
from shared.tools.latency import latency_from_env, open_front  # noqa: E402
from shared.web.headers import with_safety_headers  # noqa: E402
from shared.web.http_handler import BoardHandler  # noqa: E402
from shared.web.siblings import DEFAULT_PORTS, sibling_ports  # noqa: E402

# Connections the kernel may queue before the server accepts them. gevent's default is
# 128: when a restart brings a room of 1,000 pages back within a second, the rest of
# their connection attempts were dropped and retried by TCP after 1, 3, 7, 15, 31 s
# (make bench's reconnect storm: one run took 36 s). The kernel caps it (somaxconn).
LISTEN_BACKLOG = 4096


def serve_pages(app, front, access_log):
    """Serve a plain Flask app on gevent's WSGI server until SIGTERM."""
    host, port = front.app_host, front.app_port
    try:
        server = WSGIServer(
            (host, port), app, log=access_log, handler_class=BoardHandler, backlog=LISTEN_BACKLOG
        )
        server.init_socket()
    except OSError as error:
        refuse_port(host, port, error)
    gevent.signal_handler(signal.SIGTERM, server.stop)
    announce(app, front)
    server.serve_forever()


def serve_sockets(app, front, access_log):
    """Serve an app with a SocketIO through socketio.run, on gevent, until SIGTERM."""
    socketio = app.extensions["socketio"]
    host, port = front.app_host, front.app_port
    try:
        # socketio.run binds the port itself, once it is already serving: try the port
        # first, so that a busy one is reported before the banner, not after it.
        socket.create_server((host, port)).close()
    except OSError as error:
        refuse_port(host, port, error)
    gevent.signal_handler(signal.SIGTERM, socketio.stop)
    announce(app, front)
    # socketio.run passes handler_class on to gevent's WSGIServer, and with
    # async_mode="gevent" it never falls back to Werkzeug's server.
    socketio.run(
        app,
        host=host,
        port=port,
        log_output=access_log is not None,
        handler_class=BoardHandler,
        backlog=LISTEN_BACKLOG,
    )


def refuse_port(host, port, error):
    """Stop with a message that says what to do about a port we cannot listen on."""
    sys.exit(f"cannot listen on {host}:{port} ({error.strerror}); is another app there? Set PORT.")


def refuse_redis(error, embedded):
    """Stop with one line that names the Redis we cannot reach and what to do, not a traceback."""
    address = "the embedded server" if embedded else os.environ["REDIS_URL"]
    sys.exit(
        f"cannot reach Redis at {address} ({error}): start it, fix REDIS_URL, "
        "or unset REDIS_URL to use the embedded server"
    )


def announce(app, front):
    """Print where the app serves (and through what: front.describe), which Redis it uses, and which path."""
    store = app.extensions["board_store"]
    redis_address = store.redis.connection_pool.connection_kwargs
    path = "the textbook path (TEXTBOOK=1)" if store.settings.textbook else "the tuned path"
    print(
        f"{app.config['TECHNIQUE']} serving on {front.describe()} with Redis at "
        f"{redis_address['host']}:{redis_address['port']}, {path} (Ctrl-C stops it)",
        flush=True,
    )


def build(module):
    """Build the app, with the docs and the race page, tuned for crowds unless TEXTBOOK=1."""
    app = module.create_app()
    reading.register(app)
    if not app.extensions["board_store"].settings.textbook:
        tuning.tune(app)
    # Outermost, around socket.io's own middleware too: see with_safety_headers.
    app.wsgi_app = with_safety_headers(app.wsgi_app)
    return app


def main(argv):
    """Build the named app and serve it until Ctrl-C or SIGTERM."""
    if len(argv) != 2 or argv[1] not in DEFAULT_PORTS:
        sys.exit(f"usage: python -m shared.serve {'|'.join(DEFAULT_PORTS)}")
    app_name = argv[1]
    host = os.environ.get("HOST", "127.0.0.1")
    # PORT moves this one app; POLLING_PORT and its siblings are where every app's
    # /compare looks for each technique, and where make run-all starts them.
    port = number_from_env("PORT", sibling_ports()[app_name], int)
    textbook_from_env()  # a wrong TEXTBOOK stops here, before anything starts
    latency_ms = latency_from_env()  # and a wrong LATENCY
    module = importlib.import_module(app_name)
    if not hasattr(module, "create_app"):
        sys.exit(f"{app_name}/ has no app yet: see README.md for the chapters that exist")
    embedded = not os.environ.get("REDIS_URL")
    if embedded:
        os.environ["REDIS_URL"] = EmbeddedValkey().url()  # this checkout's own server, started if need be
    try:
        app = build(module)
    except redis.ConnectionError as error:
        refuse_redis(error, embedded)
    # The access log is on by default: watching the requests scroll past is the lesson.
    access_log = "default" if os.environ.get("ACCESS_LOG", "1") != "0" else None
    serve = serve_sockets if "socketio" in app.extensions else serve_pages
    try:
        # With LATENCY, the delaying proxy listens on HOST:PORT and the app behind it.
        front = open_front(host, port, latency_ms)
    except OSError as error:
        refuse_port(host, port, error)
    try:
        serve(app, front, access_log)
    except KeyboardInterrupt:
        pass
    finally:
        front.close()
        app.extensions["board_store"].close()


if __name__ == "__main__":
    main(sys.argv)
