"""gevent's connection handler, as every app's server uses it (shared/serve.py)."""

import json
import socket
from http import HTTPStatus

from gevent.pywsgi import MAX_REQUEST_LINE, WSGIHandler

from shared.board.cost import process_cost
from shared.web.cost import asks_for_cost
from shared.web.headers import SAFETY_HEADERS

# pywsgi answers a request it cannot read with a bare status and no body, before any app
# sees it. Each of these is the same status, saying what was wrong.
UNREADABLE_REQUEST_ERRORS = {
    # http.client reads the headers for pywsgi: at most 100 of them, 64 KiB a line.
    "400": "the request could not be read: its request line or headers are malformed, or too big",
    "414": f"the request line is over {MAX_REQUEST_LINE // 1024} KiB: the URL carries far too much",
}


class BoardHandler(WSGIHandler):
    """gevent's connection handler: Nagle's algorithm off, the socket in the environ, WebSockets end HTTP.

    It also counts what this process serves (shared/board/cost.py): the connections open
    now, and the requests answered.

    pywsgi sends a response's headers and its body in two writes. With Nagle on,
    the body then waits for the client to acknowledge the headers, which a client
    on a kept-alive connection delays by about 40 ms: every changed poll would
    measure that stall instead of the technique. A WebSocket's small frames are
    sent at once too.
    """

    def handle(self):
        """Serve this connection's requests, with small writes sent at once; count it open meanwhile."""
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        process_cost.open_connections += 1
        try:
            super().handle()
        finally:
            process_cost.open_connections -= 1

    def get_environ(self):
        """The request's WSGI environ, plus its socket: an event stream watches it to see its reader go."""
        environ = super().get_environ()
        environ["board.socket"] = self.socket
        return environ

    def run_application(self):
        """Run the app for one request; after a WebSocket, end the connection too."""
        super().run_application()
        if self.environ.get("HTTP_UPGRADE", "").lower() == "websocket":
            # simple-websocket spoke WebSocket on this connection until the socket
            # closed; no HTTP request can follow on it, so do not wait for one.
            self.close_connection = True

    def handle_one_request(self):
        """Serve one request; a request pywsgi cannot read gets its status with a reason."""
        result = super().handle_one_request()
        if isinstance(result, tuple) and result[0] in UNREADABLE_REQUEST_ERRORS:
            status = result[0]
            return status, unreadable_request_answer(status)
        return result

    def log_request(self):
        """Count each answered request and write its access log line; neither for GET /api/cost.

        gevent calls this once per request, when its answer is done (a held request's or a
        stream's when it ends). A race page asks for the cost every second, from every app:
        the log and the count show the technique's own requests, not the race page's.
        """
        if asks_for_cost(self.path):
            return
        process_cost.requests += 1
        super().log_request()


def unreadable_request_answer(status):
    """The whole answer, status line to body, to a request pywsgi could not read: JSON, as the API's."""
    body = json.dumps({"error": UNREADABLE_REQUEST_ERRORS[status]}).encode()
    headers = [
        f"HTTP/1.1 {status} {HTTPStatus(int(status)).phrase}",
        "Connection: close",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        *(f"{name}: {value}" for name, value in SAFETY_HEADERS),
    ]
    return "\r\n".join(headers).encode() + b"\r\n\r\n" + body
