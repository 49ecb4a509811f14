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
import sys  # noqa: E402

import gevent  # noqa: E402
from gevent.pywsgi import WSGIServer  # noqa: E402

DEFAULT_PORTS = {"polling": 5001, "long_polling": 5002, "websockets": 5003}


def main(argv):
    """Build the named app and serve it until Ctrl-C or SIGTERM."""
    if len(argv) != 2 or argv[1] not in DEFAULT_PORTS:
        sys.exit(f"usage: python -m shared.serve {'|'.join(DEFAULT_PORTS)}")
    app_name = argv[1]
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", DEFAULT_PORTS[app_name]))
    app = importlib.import_module(app_name).create_app()
    # The access log is on by default: watching the requests scroll past is the lesson.
    access_log = "default" if os.environ.get("ACCESS_LOG", "1") != "0" else None
    try:
        server = WSGIServer((host, port), app, log=access_log)
        server.init_socket()
    except OSError as error:
        sys.exit(f"cannot listen on {host}:{port} ({error.strerror}); is another app there? Set PORT.")
    gevent.signal_handler(signal.SIGTERM, server.stop)
    print(f"{app_name} serving on http://{host}:{port}/  (Ctrl-C stops it)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        app.extensions["board_store"].close()


if __name__ == "__main__":
    main(sys.argv)
