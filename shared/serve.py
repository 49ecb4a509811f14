"""Serve one app on gevent's WSGI server: `python -m shared.serve polling`.

Monkey-patching comes first, before Flask or redis-py are imported, so that every
socket they open cooperates with gevent: one process then holds thousands of
waiting requests, each a greenlet, not a thread. Werkzeug's development server
is never used.
"""

from gevent import monkey

monkey.patch_all()

import importlib  # noqa: E402  (imports after patching, on purpose)
import os  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402

import gevent  # noqa: E402
from gevent.pywsgi import WSGIServer  # noqa: E402

from shared.settings import number_from_env  # noqa: E402

DEFAULT_PORTS = {"polling": 5001, "long_polling": 5002, "websockets": 5003}


class BoardServer(WSGIServer):
    """gevent's WSGI server, with Nagle's algorithm off on every connection.

    pywsgi sends a response's headers and its body in two writes. With Nagle on,
    the body then waits for the client to acknowledge the headers, which a client
    on a kept-alive connection delays by about 40 ms: every changed poll would
    measure that stall instead of the technique.
    """

    def handle(self, client_socket, address):
        client_socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().handle(client_socket, address)


def main(argv):
    """Build the named app and serve it until Ctrl-C or SIGTERM."""
    if len(argv) != 2 or argv[1] not in DEFAULT_PORTS:
        sys.exit(f"usage: python -m shared.serve {'|'.join(DEFAULT_PORTS)}")
    app_name = argv[1]
    host = os.environ.get("HOST", "127.0.0.1")
    port = number_from_env("PORT", DEFAULT_PORTS[app_name], int)
    module = importlib.import_module(app_name)
    if not hasattr(module, "create_app"):
        sys.exit(f"{app_name}/ has no app yet: see README.md for the chapters that exist")
    app = module.create_app()
    # The access log is on by default: watching the requests scroll past is the lesson.
    access_log = "default" if os.environ.get("ACCESS_LOG", "1") != "0" else None
    try:
        server = BoardServer((host, port), app, log=access_log)
        server.init_socket()
    except OSError as error:
        sys.exit(f"cannot listen on {host}:{port} ({error.strerror}); is another app there? Set PORT.")
    gevent.signal_handler(signal.SIGTERM, server.stop)
    redis_address = app.extensions["board_store"].redis.connection_pool.connection_kwargs
    print(
        f"{app_name} serving on http://{host}:{port}/ with Redis at "
        f"{redis_address['host']}:{redis_address['port']} (Ctrl-C stops it)",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        app.extensions["board_store"].close()


if __name__ == "__main__":
    main(sys.argv)
