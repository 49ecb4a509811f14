"""All the apps at once on one Redis: one board, whichever technique a page uses.

docs/spec.md: "The data: state, events and cursors".
"""

import requests

from tests.api import state
from tests.apps import APPS


def test_a_city_sent_on_any_app_appears_on_the_pages_of_every_app(every_app, open_page):
    pages = [open_page(app) for app in every_app]
    for sender, app in zip(pages, every_app, strict=True):
        name = f"Sent from a {app.technique} page"
        sent = sender.send_city(name)
        for page in pages:
            assert page.wait_for_newest_city(name)["cities"][0] == sent
    assert [page.city_names() for page in pages] == [pages[0].city_names()] * len(pages)


def test_presence_totals_add_up_across_the_apps(every_app, open_page):
    pages = [open_page(app) for app in every_app]
    one_of_each = {"total": len(APPS), **{sibling.technique: 1 for sibling in APPS}}
    for app in every_app:
        assert state(app)["present"] == one_of_each
    for page in pages:
        page.wait_for(lambda board: board["present"] == one_of_each, "every technique counted once")
    pages.pop().close()
    for page in pages:
        page.wait_for(lambda board: board["present"]["total"] == len(APPS) - 1, "the closed page gone")


def test_visits_to_every_app_count_on_one_counter(every_app, open_page):
    watcher = open_page(every_app[0])
    before = state(every_app[0])["visits"]
    for app in every_app:
        assert requests.get(app.url, timeout=5).status_code == 200
    for app in every_app:
        assert state(app)["visits"] == before + len(every_app)
    watcher.wait_for(lambda board: board["visits"] == before + len(every_app), "every visit, live")
