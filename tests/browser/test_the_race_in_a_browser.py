"""The race page in a real browser: every app's board framed side by side, one city, each delay and cost."""

import re

import pytest
from playwright.sync_api import expect

from tests.api import state
from tests.apps import PATHS
from tests.browser.test_board_in_a_browser import PHONE_WIDTH, SHOWN_WITHIN_MS

# "long polling: 8 ms · 2nd" (no named groups: Playwright hands the pattern to JavaScript).
RESULT = re.compile(r"^([a-z ]+): ([\d,]+) ms · (1st|2nd|3rd|4th)$")
LAPTOP = {"width": 1280, "height": 720}  # and a projector's usual mode
# A count per minute above zero, and a CPU share above 0.0 % of one core: plain numbers.
POSITIVE_COUNT = re.compile(r"^[1-9]\d*$")
POSITIVE_SHARE = re.compile(r"^(?!0\.0$)\d+\.\d$")
# The race page reads each server's cost once a second; a few readings, on a busy machine.
COST_SHOWN_WITHIN_MS = 15_000


def open_race(every_app, open_tab):
    """Open /compare on the first app and wait until every pane's board is live."""
    race = open_tab(every_app[0], path="/compare")
    for app in every_app:
        pane = race.frame_locator(f'iframe[data-technique="{app.technique}"]')
        expect(pane.locator("#status")).to_have_attribute("data-state", "live", timeout=SHOWN_WITHIN_MS)
    return race


def results(race, every_app):
    """Each technique's race result, once every pane has shown the raced city: {technique: match}."""
    found = {}
    for app in every_app:
        result = race.locator(f"#result-{app.technique}")
        expect(result).to_have_text(RESULT, timeout=SHOWN_WITHIN_MS)
        found[app.technique] = RESULT.match(result.text_content())
    return found


def test_one_city_sent_from_the_race_page_shows_in_every_pane_with_its_delay_and_place(every_app, open_tab):
    race = open_race(every_app, open_tab)
    race.locator("#race-city").fill("Pittsburgh")
    race.get_by_role("button", name="Send once").click()
    expect(race.locator("#race-message")).to_contain_text("Pittsburgh", timeout=SHOWN_WITHIN_MS)
    for app in every_app:
        pane = race.frame_locator(f'iframe[data-technique="{app.technique}"]')
        expect(pane.locator("ul#cities li.city").first).to_have_text("Pittsburgh", timeout=SHOWN_WITHIN_MS)
    found = results(race, every_app)
    for technique, match in found.items():
        assert match[1] == technique.replace("_", " ")
    by_delay = sorted(found.values(), key=lambda match: int(match[2].replace(",", "")))
    assert by_delay[0][3] == "1st", "the quickest pane is first"
    places = [match[3] for match in by_delay]
    assert places == sorted(places), f"places follow the delays: {[match.group(0) for match in by_delay]}"


def test_a_report_not_from_a_pane_changes_no_result(every_app, open_tab):
    race = open_race(every_app, open_tab)
    race.get_by_role("button", name="Send once").click()
    before = {technique: match.group(0) for technique, match in results(race, every_app).items()}
    raced_id = state(every_app[0])["cities"][0]["id"]
    # The race page itself (the polling app's origin, but not its pane) claims a 1 ms win for
    # polling. Listeners run in the order they were added, so once this one hears the
    # message, compare.js has already judged it.
    race.evaluate(
        """(cityId) => new Promise((heard) => {
            window.addEventListener("message", (event) => event.data.spoof && heard());
            const claim = {type: "city-shown", technique: "polling", cityId, delayMs: 1, spoof: true};
            window.postMessage(claim, "*");
        })""",
        raced_id,
    )
    after = {app.technique: race.locator(f"#result-{app.technique}").text_content() for app in every_app}
    assert after == before


def test_the_race_page_is_usable_375_pixels_wide_with_its_lanes_stacked(every_app, open_tab):
    race = open_race(every_app, open_tab)
    race.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    page_width = race.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE_WIDTH, f"the race page is {page_width} px wide at a {PHONE_WIDTH} px viewport"
    expect(race.locator("#race-city")).to_have_accessible_name("City")
    lanes = [box(race, f'.pane[data-technique="{app.technique}"]') for app in every_app]
    for above, below in zip(lanes, lanes[1:], strict=False):
        assert below["y"] >= above["y"] + above["height"], f"each lane below the one before: {lanes}"
    for lane in lanes:
        assert lane["width"] >= 0.85 * PHONE_WIDTH, f"each lane about the screen's width: {lanes}"


def box(page, selector):
    """Where an element sits on the page's viewport: {x, y, width, height} in CSS pixels."""
    found = page.locator(selector).bounding_box()
    assert found is not None, f"{selector} is on the page and shown"
    return found


def in_view(found, viewport):
    """True if a bounding box lies wholly inside the viewport, as it is without scrolling."""
    right, bottom = found["x"] + found["width"], found["y"] + found["height"]
    return found["x"] >= 0 and found["y"] >= 0 and right <= viewport["width"] and bottom <= viewport["height"]


def cost_figures(technique):
    """The ids of one lane's cost figures: its board's requests and bytes per minute, its server's CPU."""
    return [f"cost-{technique}-requests", f"cost-{technique}-bytes", f"server-{technique}-cpu"]


@pytest.mark.parametrize("textbook_or_tuned", list(PATHS))  # the fixture of that name: the apps' path
def test_at_1280_by_720_every_lane_its_result_and_cost_are_in_view_and_the_figures_rise(every_app, open_tab):
    race = open_race(every_app, open_tab)
    race.set_viewport_size(LAPTOP)
    lanes = [box(race, f'.pane[data-technique="{app.technique}"]') for app in every_app]
    assert [lane["y"] for lane in lanes] == [lanes[0]["y"]] * len(lanes), f"the lanes side by side: {lanes}"
    assert [lane["x"] for lane in lanes] == sorted(lane["x"] for lane in lanes)
    for app in every_app:
        for element in [f"result-{app.technique}", *cost_figures(app.technique)]:
            found = box(race, f"#{element}")
            assert in_view(found, LAPTOP), f"#{element} in view without scrolling at 1280x720: {found}"
    # From "–" to a number above zero: each board's meter told the page, each server answered.
    for app in every_app:
        requests_, bytes_, cpu = cost_figures(app.technique)
        expect(race.locator(f"#{requests_}")).to_have_text(POSITIVE_COUNT, timeout=COST_SHOWN_WITHIN_MS)
        expect(race.locator(f"#{bytes_}")).to_have_text(POSITIVE_COUNT, timeout=COST_SHOWN_WITHIN_MS)
        expect(race.locator(f"#{cpu}")).to_have_text(POSITIVE_SHARE, timeout=COST_SHOWN_WITHIN_MS)
    assert race.evaluate("window.scrollY") == 0


def test_a_server_that_stops_answering_shows_a_dash_for_its_cpu_and_no_error(every_app, open_tab):
    race = open_tab(every_app[0], network_failures_expected=True, path="/compare")
    stopped = every_app[-1]
    cpu = race.locator(f"#server-{stopped.technique}-cpu")
    expect(cpu).to_have_text(POSITIVE_SHARE, timeout=COST_SHOWN_WITHIN_MS)
    stopped.stop()
    expect(cpu).to_have_text("–", timeout=COST_SHOWN_WITHIN_MS)
    expect(race.locator(f"#server-{every_app[0].technique}-cpu")).to_have_text(POSITIVE_SHARE)


def test_a_board_in_a_lane_folds_its_explainer_and_on_its_own_page_does_not(every_app, open_tab):
    race = open_race(every_app, open_tab)
    for app in every_app:
        pane = race.frame_locator(f'iframe[data-technique="{app.technique}"]')
        expect(pane.locator("details.explainer")).not_to_have_attribute("open", re.compile(".*"))
        meter, cities = pane.locator(".meter").bounding_box(), pane.locator(".cities").bounding_box()
        assert meter["y"] < cities["y"], "in a lane, the wire meter comes before the cities"
    board = open_tab(every_app[0])
    expect(board.locator("details.explainer")).to_have_attribute("open", "")
    expect(board.locator(".explainer a", has_text="How ")).to_be_visible()
