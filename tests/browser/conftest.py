"""Fixtures for tests in a real browser: the system's headless Chromium, driven by Playwright.

Playwright never downloads a browser here: it launches Debian's chromium. Each test
gets a fresh browser context, and a factory of pages that fail the test if any of
them hits a JavaScript error, and that leave a screenshot behind when a test fails.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.servers import PROJECT_ROOT

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
# Headless as root on a machine with no way out: no sandbox (root), no GPU, and none
# of Chromium's background calls home, which the closed network would refuse.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Lines Chromium itself logs for a request that found no server (not an HTTP error status).
# Only a test that stops the server on purpose expects them; the page's script is not at fault.
NETWORK_FAILURE = re.compile(r"^(Failed to load resource: net::ERR_|WebSocket connection to .* failed)")


def find_chromium():
    """Return the path of a Chromium: $CHROMIUM, else /usr/bin/chromium, else chromium on PATH."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so a fixture's teardown knows if the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (skipped, or failed in CI, when none is installed)."""
    executable = find_chromium()
    if executable is None:
        reason = "no Chromium found for the browser tests: apt-get install chromium (or set CHROMIUM)"
        if os.environ.get("BOARD_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    """A fresh browser context (its own storage and viewport) for this test, closed afterwards."""
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture
def open_tab(request, context):
    """Browser tabs showing an app (`open_tab(app)`), which must get through with no JavaScript error.

    `network_failures_expected=True` lets a page log the requests that found no
    server, for a test that stops the server on purpose.
    """
    pages, errors = [], []

    def open_(app, network_failures_expected=False, path="/"):
        """Open a new page on `app` (its board, or `path`), check that it loaded, and listen for errors."""
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{app.technique}: uncaught {error}"))

        def note_console(message):
            """Record a console error, unless it is an expected network failure."""
            if message.type != "error":
                return
            if network_failures_expected and NETWORK_FAILURE.search(message.text):
                return
            errors.append(f"{app.technique}: console error {message.text}")

        page.on("console", note_console)
        pages.append(page)
        response = page.goto(f"{app.url}{path}")
        assert response.status == 200, f"GET {path} answered {response.status}"
        return page

    yield open_
    report = getattr(request.node, "report_call", None)
    if errors or (report is not None and report.failed):
        save_screenshots(request.node.nodeid, pages)
    assert errors == [], "No JavaScript errors on any page"


def save_screenshots(node_id, pages):
    """Save a full-page screenshot of every page still open into test-artifacts/, and print where."""
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", node_id)
    for number, page in enumerate(pages, start=1):
        if page.is_closed():
            continue
        path = ARTIFACTS / f"{name}-page{number}.png"
        page.screenshot(path=path, full_page=True)
        print(f"screenshot of page {number}: {path}")
