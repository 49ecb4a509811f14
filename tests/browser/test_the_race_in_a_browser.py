"""The race page in a real browser: every app's board framed side by side, one city, each pane's delay."""

import re

from playwright.sync_api import expect

from tests.api import state
from tests.browser.test_board_in_a_browser import PHONE_WIDTH, SHOWN_WITHIN_MS

# "long polling: 8 ms · 2nd" (no named groups: Playwright hands the pattern to JavaScript).
RESULT = re.compile(r"^([a-z ]+): ([\d,]+) ms · (1st|2nd|3rd|4th)$")


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


def test_the_race_page_is_usable_375_pixels_wide(every_app, open_tab):
    race = open_race(every_app, open_tab)
    race.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    page_width = race.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE_WIDTH, f"the race page is {page_width} px wide at a {PHONE_WIDTH} px viewport"
    expect(race.locator("#race-city")).to_have_accessible_name("City")
