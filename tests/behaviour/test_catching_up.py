"""Catching up (docs/spec.md: "The status line and catching up": a reconnecting page loses no city)."""


def test_a_page_reconnecting_after_the_server_restarts_catches_up_on_every_city_it_missed(
    any_app, open_page, store
):
    page = open_page(any_app)
    page.send_city("Tartu")
    page.wait_for_newest_city("Tartu")
    any_app.stop()
    store.add_city("Graz")  # while the app is down, through the shared Redis
    store.add_city("Bergen")
    any_app.start()  # the same port: the page's retry finds it again
    page.wait_for(lambda board: len(board["cities"]) == 3, "the missed cities", timeout=20)
    assert page.city_names() == ["Bergen", "Graz", "Tartu"], "all of them, in order, none twice"
