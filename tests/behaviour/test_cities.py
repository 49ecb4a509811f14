"""Cities: POST /api/cities and its refusals.

docs/spec.md: "City names are checked, then stored as typed", "Cities are rate limited",
"Errors answer with a status and a reason".
"""

import pytest

from shared.store.store import CITIES_SHOWN
from tests.api import add_city, city_names, post_body

# Each invalid body, and what the refusal must say is wrong with it.
INVALID_BODIES = [
    ('{"name": ""}', "name is empty"),
    ('{"name": "   "}', "name is empty"),
    ('{"name": "' + "x" * 65 + '"}', "longer than 64"),
    ('{"name": "Paris\\u0007"}', "control characters"),
    ('{"name": "Line\\nbreak"}', "control characters"),
    ('{"name": 42}', "must be a string"),
    ('{"city": "Paris"}', '"name"'),
    ('["Paris"]', "JSON object"),
    ("{not json", "not valid JSON"),
]


def test_a_city_sent_on_one_page_appears_first_on_every_other(any_app, open_page):
    sender, first_reader, second_reader = open_page(any_app), open_page(any_app), open_page(any_app)
    sender.send_city("Ljubljana")
    sent = sender.send_city("Porto")
    assert set(sent) == {"id", "name", "at"} and sent["name"] == "Porto"
    for reader in (first_reader, second_reader, sender):
        board = reader.wait_for_newest_city("Porto")
        assert board["cities"][0] == sent
        assert reader.city_names() == ["Porto", "Ljubljana"]


def test_a_city_comes_back_trimmed_newest_first_and_verbatim(any_app):
    for name in ["  Lisbon ", "<img src=x onerror=alert(1)>", "Zürich"]:
        city = add_city(any_app, name)
        assert city["name"] == name.strip()
        assert set(city) == {"id", "name", "at"}
    assert city_names(any_app) == ["Zürich", "<img src=x onerror=alert(1)>", "Lisbon"]


def test_only_the_newest_50_cities_are_shown(any_app, store):
    for number in range(CITIES_SHOWN + 1):
        store.add_city(f"City {number}")
    shown = city_names(any_app)
    assert len(shown) == CITIES_SHOWN
    assert shown[0] == f"City {CITIES_SHOWN}" and shown[-1] == "City 1"


def test_an_invalid_city_is_refused_with_a_reason_and_nothing_is_stored(any_app):
    for body, reason in INVALID_BODIES:
        response = post_body(any_app, body)
        assert response.status_code == 400, body
        assert reason in response.json()["error"], body
    assert city_names(any_app) == []


@pytest.mark.parametrize(
    ("body", "content_type", "status", "reason"),
    [
        ("name=Paris", "application/x-www-form-urlencoded", 415, "JSON"),
        ('{"name": "' + "x" * 5000 + '"}', "application/json", 413, "4 KiB"),
    ],
    ids=["not JSON: 415", "over 4 KiB: 413"],
)
def test_a_body_that_is_not_json_or_too_big_is_refused_and_nothing_is_stored(
    any_app, body, content_type, status, reason
):
    response = post_body(any_app, body, content_type=content_type)
    assert response.status_code == status
    assert reason in response.json()["error"]
    assert city_names(any_app) == []


def test_a_client_sending_too_fast_gets_429_with_retry_after_and_others_are_not_held_up(any_app):
    for number in range(5):
        add_city(any_app, f"City {number}", client="eager")
    refused = post_body(any_app, '{"name": "One too many"}', client="eager")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 10
    assert "too many" in refused.json()["error"]
    add_city(any_app, "Someone else", client="patient")
    assert "One too many" not in city_names(any_app)


def test_the_rate_limit_is_a_setting(sibling, start_app):
    app = start_app(sibling.technique, RATE_LIMIT_CITIES=1, RATE_LIMIT_SECONDS=60)
    add_city(app, "First")
    refused = post_body(app, '{"name": "Second"}')
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 10
