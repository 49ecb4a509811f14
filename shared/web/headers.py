"""The headers every answer carries: a strict script policy on pages, nosniff and no-referrer everywhere."""

from flask import current_app, request

from shared.web.siblings import sibling_origins

# No inline script anywhere: a city named <script> stays text even if a bug slipped through.
# Who may frame a page, and whom its scripts may ask, are added per request (page_policy).
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'self'"
)
SAFETY_HEADERS = (("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"))


def pane_origins():
    """Return each sibling app's origin, at the host name this request came to."""
    return sibling_origins(request.host_url, current_app.config["SIBLING_PORTS"])


def page_policy(extra="", connect_src="'self'"):
    """The script policy, plus framing: only the sibling apps may frame a page (for /compare).

    `connect_src` says whom the page's scripts may ask: this app alone, unless the race
    page also reads its siblings' cost.
    """
    # Each sibling serves on its own port, so it is another origin: 'self' alone would
    # block the race page's panes. Exactly these origins, and no others.
    siblings = " ".join(pane_origins().values())
    policy = f"{PAGE_POLICY}; connect-src {connect_src}; frame-ancestors 'self' {siblings}"
    return f"{policy}; {extra}" if extra else policy


def is_page(response):
    """True for an HTML page being sent (not a 304, which has no body)."""
    return response.mimetype == "text/html" and response.status_code != 304


def add_safety_headers(response):
    """Give pages the script policy, unless their blueprint set its own (the rest: with_safety_headers)."""
    if is_page(response) and "Content-Security-Policy" not in response.headers:
        response.headers["Content-Security-Policy"] = page_policy()
    return response


def with_safety_headers(wsgi_app):
    """Wrap the whole WSGI app: every answer says nosniff and no-referrer, socket.io's too.

    socket.io's endpoint answers before Flask sees the request, so Flask's after_request
    cannot reach it; around the whole app, one place covers both.
    """

    def app_with_headers(environ, start_response):
        """Call the app, adding the two headers to whatever it starts to answer."""

        def start_with_headers(status, headers, *exc_info):
            """Start the answer with the headers, unless the app already set them."""
            names = {name.lower() for name, _ in headers}
            for name, value in SAFETY_HEADERS:
                if name.lower() not in names:
                    headers.append((name, value))
            return start_response(status, headers, *exc_info)

        return wsgi_app(environ, start_with_headers)

    return app_with_headers
