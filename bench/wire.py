"""A small HTTP/1.1 client that counts every byte at the socket: status lines and headers too.

A page's cost on the wire is not only the JSON it reads: each poll sends a request
line and headers, and each answer brings a status line and headers back. This
client keeps one connection alive, as a browser does, and counts exactly what
crosses it both ways. It speaks only what the board's API needs: GET and POST,
answers with a Content-Length or none (304, 204), and an event stream's chunked
answer, read line by line as it arrives.
"""

import socket

from gevent import socket as gsocket

HEADER_END = b"\r\n\r\n"
READ_SIZE = 65536


class ConnectionLost(Exception):
    """The server closed the connection, or could not be reached."""


class Answer:
    """One HTTP answer: its status, headers (names in lower case) and body."""

    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body


class WireConnection:
    """One kept-alive HTTP/1.1 connection to `host:port`, and what has crossed it."""

    def __init__(self, host, port, timeout):
        self.host, self.port, self.timeout = host, port, timeout
        self.sock = None
        self.buffer = b""
        self.requests = self.bytes_in = self.bytes_out = 0

    def request(self, method, path, headers=None, body=b""):
        """Send one request and return its Answer; raise ConnectionLost when the connection fails."""
        return self._exchange(method, path, headers, body, self._read_answer)

    def open_stream(self, path, headers=None):
        """GET an answer that does not end (an event stream); return its head. `lines()` reads its body."""
        return self._exchange("GET", path, headers, b"", self._read_head)

    def lines(self):
        """The body's lines as they arrive, its chunked framing taken off; ConnectionLost at its end."""
        text = ""
        try:
            while True:
                while b"\r\n" not in self.buffer:
                    self._receive()
                size_line, self.buffer = self.buffer.split(b"\r\n", 1)
                size = int(size_line, 16)
                while len(self.buffer) < size + 2:
                    self._receive()
                text += self.buffer[:size].decode()
                self.buffer = self.buffer[size + 2 :]
                if size == 0:
                    raise ConnectionLost("the stream ended")
                *complete, text = text.split("\n")
                yield from complete
        except OSError as error:
            self.close()
            raise ConnectionLost(str(error) or error.__class__.__name__) from None

    def _exchange(self, method, path, headers, body, read):
        """Send one request, then `read` its answer; ConnectionLost (and closed) when either fails."""
        if self.sock is None:
            self._connect()
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        if body:
            lines.append(f"Content-Length: {len(body)}")
        message = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        try:
            self.sock.sendall(message)
            self.requests += 1
            self.bytes_out += len(message)
            return read()
        except (OSError, ConnectionLost) as error:
            self.close()
            raise ConnectionLost(str(error) or error.__class__.__name__) from None

    def _connect(self):
        """Open the TCP connection, with Nagle off as a browser has it."""
        try:
            self.sock = gsocket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as error:
            raise ConnectionLost(str(error)) from None
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def _read_answer(self):
        """Read one answer: the head up to the blank line, then Content-Length bytes of body."""
        answer = self._read_head()
        length = int(answer.headers.get("content-length", 0))
        while len(self.buffer) < length:
            self._receive()
        answer.body, self.buffer = self.buffer[:length], self.buffer[length:]
        if answer.headers.get("connection", "").lower() == "close":
            self.close()
        return answer

    def _read_head(self):
        """Read an answer's head, up to the blank line: an Answer with no body yet."""
        while HEADER_END not in self.buffer:
            self._receive()
        head, self.buffer = self.buffer.split(HEADER_END, 1)
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        return Answer(int(status_line.split()[1]), headers, b"")

    def _receive(self):
        """Take in what the socket has; a closed socket is a lost connection."""
        data = self.sock.recv(READ_SIZE)
        if not data:
            raise ConnectionLost("closed by the server")
        self.bytes_in += len(data)
        self.buffer += data

    def close(self):
        """Close the connection; the next request opens a new one."""
        if self.sock is not None:
            self.sock.close()
            self.sock = None
