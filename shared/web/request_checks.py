"""Checks every request passes before any view: a POST comes from our own page, a URL stays small."""

from urllib.parse import urlsplit

from flask import abort, request

# The API reads at most three query parameters (client, cursor, timeout): a URL with
# more than this is not from a page of ours, and is refused before anything parses it.
MAX_QUERY_PARAMETERS = 10


def refuse_foreign_requests():
    """before_request: 403 for a POST sent by another site's page, 400 for a URL stuffed with parameters."""
    if request.query_string.count(b"&") >= MAX_QUERY_PARAMETERS:
        abort(400, f"too many query parameters: the API takes at most {MAX_QUERY_PARAMETERS}")
    if request.method == "POST" and not from_this_host(request.headers.get("Origin")):
        abort(403, "this board takes cities only from its own pages (the request's Origin is another site)")


def from_this_host(origin):
    """True for no Origin (curl, a terminal client) or a page served by this host and port.

    A browser names the page that sent a POST in `Origin`. Only the host and port
    are compared, not the scheme, so a board behind a proxy that adds TLS still
    takes its own pages' cities. "null" (a sandboxed frame, a file) is never ours.
    """
    return origin is None or urlsplit(origin).netloc == request.host
