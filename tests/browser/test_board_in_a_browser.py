"""The board in a real browser, once per technique: what a workshop attendee sees in two tabs.

Every wait is a Playwright expectation with a deadline; nothing sleeps.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.apps import PATHS

# Long polling answers within its hold, SSE and websockets at once, polling within 0.5 s:
# a few seconds covers every technique on a busy machine.
SHOWN_WITHIN_MS = 10_000
# After an outage the page's backoff may wait up to 8 s before the try that finds the server back.
RECONNECTED_WITHIN_MS = 30_000
DIGITS = re.compile(r"^\d+$")
SENT = re.compile(r"^Sent\.")
TRANSPORTS = {
    "polling": re.compile(r"^fetch, every "),
    "long_polling": re.compile(r"^fetch, held up to "),
    "sse": re.compile(r"^EventSource$"),
    "websockets": re.compile(r"^websocket$"),  # after socket.io's upgrade from HTTP long polling
}
PHONE_WIDTH = 375


def submit_city(page, name):
    """Type a city into the page's form, press its submit button and wait until the server took it."""
    # Switch to the page first, as a person would: Chromium throttles a background tab's
    # animation frames, and a click waits for frames that show the button holding still.
    page.bring_to_front()
    page.locator("#city-input").fill(name)
    page.locator("form#city-form button[type=submit]").click()
    expect(page.locator("#form-message")).to_have_text(SENT, timeout=SHOWN_WITHIN_MS)


def newest_city(page):
    """The first city in the page's list."""
    return page.locator("ul#cities li.city").first


def meter_number(page, name):
    """The number a wire meter field shows now."""
    return int(page.locator(f"#meter-{name}").text_content())


@pytest.mark.parametrize("textbook_or_tuned", list(PATHS))  # the fixture of that name: the app's path
def test_a_city_sent_on_one_page_appears_first_on_another(any_app, open_tab):
    """A city submitted in page A becomes the first city of page B, and the next one goes above it."""
    page_a, page_b = open_tab(any_app), open_tab(any_app)
    submit_city(page_a, "Baltimore")
    expect(newest_city(page_b)).to_have_text("Baltimore", timeout=SHOWN_WITHIN_MS)
    submit_city(page_a, "Richmond")
    cities_b = page_b.locator("ul#cities li.city")
    expect(cities_b).to_have_text(["Richmond", "Baltimore"], timeout=SHOWN_WITHIN_MS)


def test_markup_sent_as_a_city_shows_as_text_and_runs_nothing(any_app, open_tab):
    """A city named like an <img> tag with an onerror shows as those characters, with no element made."""
    page_a, page_b = open_tab(any_app), open_tab(any_app)
    markup = "<img src=x onerror=document.body.dataset.injected=1>"
    submit_city(page_a, markup)
    expect(newest_city(page_b)).to_have_text(markup, timeout=SHOWN_WITHIN_MS)
    expect(page_b.locator("#cities img")).to_have_count(0)
    expect(page_b.locator("body")).not_to_have_attribute("data-injected", "1")


def test_a_page_opening_counts_a_visit_and_its_closing_leaves_at_once(any_app, open_tab):
    """A third page raises the visits and the presence on page B; closing it lowers the presence."""
    present_here = f"#present-{any_app.technique}"
    _page_a, page_b = open_tab(any_app), open_tab(any_app)
    expect(page_b.locator("#present-total")).to_have_text("2", timeout=SHOWN_WITHIN_MS)
    expect(page_b.locator("#visits")).to_have_text("2", timeout=SHOWN_WITHIN_MS)
    page_c = open_tab(any_app)
    expect(page_b.locator("#visits")).to_have_text("3", timeout=SHOWN_WITHIN_MS)
    expect(page_b.locator("#present-total")).to_have_text("3", timeout=SHOWN_WITHIN_MS)
    expect(page_b.locator(present_here)).to_have_text("3")
    # Running the unload handlers fires pagehide, whose beacon tells the server the page left;
    # without it the page would count as here until the presence window ran out.
    page_c.close(run_before_unload=True)
    expect(page_b.locator("#present-total")).to_have_text("2", timeout=SHOWN_WITHIN_MS)
    expect(page_b.locator(present_here)).to_have_text("2")


def test_the_wire_meter_counts_what_a_city_costs(any_app, open_tab):
    """Sending a city and seeing it come back raises requests, bytes and updates, and times the delay."""
    page = open_tab(any_app)
    transport = TRANSPORTS[any_app.technique]
    expect(page.locator("#meter-transport")).to_have_text(transport, timeout=SHOWN_WITHIN_MS)
    before = {name: meter_number(page, name) for name in ("requests", "bytes", "updates")}
    submit_city(page, "Alexandria")
    # The page counts an update in the same step that draws the city: once it shows, the meter has moved.
    expect(newest_city(page)).to_have_text("Alexandria", timeout=SHOWN_WITHIN_MS)
    after = {name: meter_number(page, name) for name in before}
    assert all(after[name] > before[name] for name in before), f"before {before}, after {after}"
    expect(page.locator("#meter-delay-last")).to_have_text(DIGITS)
    expect(page.locator("#meter-delay-median")).to_have_text(DIGITS)


def test_a_page_reconnects_after_its_server_restarts_and_catches_up(any_app, open_tab, make_store):
    """The status says reconnecting while the app is down, then live, and the city sent meanwhile shows."""
    page = open_tab(any_app, network_failures_expected=True)
    status = page.locator("#status")
    expect(status).to_have_attribute("data-state", "live", timeout=SHOWN_WITHIN_MS)
    any_app.stop()
    expect(status).to_have_attribute("data-state", "reconnecting", timeout=SHOWN_WITHIN_MS)
    # Another app, here the store it would write through, records a city during the outage.
    make_store().add_city("Annapolis")
    any_app.start()
    expect(status).to_have_attribute("data-state", "live", timeout=RECONNECTED_WITHIN_MS)
    expect(newest_city(page)).to_have_text("Annapolis", timeout=SHOWN_WITHIN_MS)


@pytest.mark.parametrize("textbook_or_tuned", list(PATHS))
def test_a_board_wiped_while_quiet_shows_empty_on_an_open_page(any_app, open_tab, store):
    """Deleting the board's keys (as FLUSHALL would) empties the open page's list, with nobody writing."""
    page = open_tab(any_app)
    submit_city(page, "Frederick")
    expect(newest_city(page)).to_have_text("Frederick", timeout=SHOWN_WITHIN_MS)
    store.redis.delete(*store.redis.scan_iter(f"{store.settings.key_prefix}*"))
    expect(page.locator("ul#cities li.city")).to_have_count(0, timeout=SHOWN_WITHIN_MS)
    expect(page.locator("#visits")).to_have_text("0")
    expect(page.locator("#status")).to_have_attribute("data-state", "live")
    # The emptied board's cursor, 0-0, carries no time: the meter must not time a delay from 1970.
    assert meter_number(page, "delay-last") < 60_000


def test_a_city_typed_while_the_last_one_travels_stays_in_the_box(any_app, open_tab):
    """The acknowledgement of one city clears the box only if it still holds that city."""
    page = open_tab(any_app)
    page.locator("#city-input").fill("Baltimore")
    # Submitting and typing the next name in one script step puts the typing surely before the answer.
    page.evaluate("""() => {
        document.getElementById("city-form").requestSubmit();
        document.getElementById("city-input").value = "Richmond";
    }""")
    expect(page.locator("#form-message")).to_have_text(SENT, timeout=SHOWN_WITHIN_MS)
    expect(page.locator("#city-input")).to_have_value("Richmond")


def test_the_page_is_usable_375_pixels_wide(any_app, open_tab):
    """On a phone-wide viewport nothing scrolls sideways, not even a long city; the input has a label."""
    page = open_tab(any_app)
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    long_name = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch"
    submit_city(page, long_name)
    expect(newest_city(page)).to_have_text(long_name, timeout=SHOWN_WITHIN_MS)
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE_WIDTH, f"the page is {page_width} px wide at a {PHONE_WIDTH} px viewport"
    expect(page.locator("#city-input")).to_have_accessible_name("City")
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^[a-z]{2}"))
