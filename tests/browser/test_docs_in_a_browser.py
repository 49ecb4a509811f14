"""The docs in a real browser: each diagram drawn as an SVG within the policy, each page 375 px wide."""

import pytest
from playwright.sync_api import expect

from shared.board.techniques import TECHNIQUES, doc_name
from shared.reading.doc_links import doc_paths
from tests.browser.test_board_in_a_browser import PHONE_WIDTH

DRAWN_WITHIN_MS = 15_000
# Chromium also logs a blocked style or script as a console error (which open_tab fails on);
# this keeps the violation itself, with the directive that blocked it.
RECORD_POLICY_VIOLATIONS = """
window.policyViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.policyViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "an inline style"}`);
});
"""


@pytest.fixture
def open_doc(context, open_tab, polling_app):
    """Open a docs page of the polling app (every app serves the same docs), recording policy violations."""
    context.add_init_script(RECORD_POLICY_VIOLATIONS)
    return lambda path: open_tab(polling_app, path=path)


def expect_diagrams_drawn(page):
    """Wait until every diagram's source has become an SVG drawing; return how many there are."""
    sources = page.locator("pre.mermaid").count()
    expect(page.locator("pre.mermaid > svg")).to_have_count(sources, timeout=DRAWN_WITHIN_MS)
    return sources


@pytest.mark.parametrize("name", ["compare", *sorted(doc_paths())])
def test_each_diagram_is_drawn_within_the_policy_and_the_page_fits_375_pixels(open_doc, name):
    page = open_doc(f"/docs/{name}")
    diagrams = expect_diagrams_drawn(page)
    if name == "compare" or name in ("polling", "long-polling", "websockets"):
        assert diagrams >= 1, "a technique doc, and the view of them all, show the sequence"
        expect(page.locator("pre.mermaid > svg").first).to_contain_text("Tab A")
    assert page.evaluate("window.policyViolations") == []
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE_WIDTH, f"/docs/{name} is {page_width} px wide at a {PHONE_WIDTH} px viewport"


def test_the_doc_link_on_a_board_opens_the_rendered_doc_with_its_diagram_all_from_the_app(any_app, open_tab):
    board = open_tab(any_app)
    asked = []
    board.on("request", lambda request: asked.append(request.url))
    board.locator(".explainer a", has_text="How ").click()
    expect(board).to_have_url(f"{any_app.url}/docs/{doc_name(any_app.technique)}")
    expect_diagrams_drawn(board)
    elsewhere = [url for url in asked if not url.startswith(f"{any_app.url}/")]
    assert elsewhere == [], "offline: everything the doc loads comes from the app"


def test_with_javascript_off_a_diagram_shows_its_source(browser, polling_app):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        assert page.goto(f"{polling_app.url}/docs/long-polling").status == 200
        expect(page.locator("pre.mermaid")).to_contain_text("sequenceDiagram")
        expect(page.locator("pre.mermaid")).to_contain_text("participant A as Tab A")
    finally:
        context.close()


def test_the_docs_side_by_side_at_1280_pixels_put_every_technique_in_one_row(open_doc):
    page = open_doc("/docs/compare")
    page.set_viewport_size({"width": 1280, "height": 720})
    columns = page.locator(".row").first.locator(".column")
    expect(columns).to_have_count(len(TECHNIQUES))
    boxes = [columns.nth(index).bounding_box() for index in range(len(TECHNIQUES))]
    assert [found["y"] for found in boxes] == [boxes[0]["y"]] * len(boxes), f"one row: {boxes}"
    assert [found["x"] for found in boxes] == sorted(found["x"] for found in boxes)
    assert boxes[-1]["x"] + boxes[-1]["width"] <= 1280, "the last column inside the screen"
