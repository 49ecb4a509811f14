"""The polling app over real HTTP, against APP_SPEC.md: the page, the API and its refusals."""

import socket

import pytest
import requests

from tests.servers import wait_until


def get_state(app, client=None):
    response = requests.get(f"{app.url}/api/state", params={"client": client} if client else {}, timeout=5)
    assert response.status_code == 200, response.text
    return response


def post_city(app, body, client="tester", content_type="application/json"):
    return requests.post(
        f"{app.url}/api/cities",
        params={"client": client},
        data=body,
        headers={"Content-Type": content_type},
        timeout=5,
    )


def test_every_page_view_counts_a_visit(polling_app):
    before = get_state(polling_app).json()["visits"]
    page = requests.get(polling_app.url, timeout=5)
    assert page.status_code == 200
    assert 'data-technique="polling"' in page.text
    assert wait_until(lambda: get_state(polling_app).json()["visits"] == before + 1, message="visit counted")


def test_the_page_carries_every_element_the_spec_names(polling_app):
    page = requests.get(polling_app.url, timeout=5).text
    ids = [
        "visits", "present-total", "present-polling", "present-long_polling", "present-websockets",
        "city-form", "city-input", "cities", "status", "meter-requests", "meter-bytes",
        "meter-updates", "meter-delay-last", "meter-delay-median", "meter-transport",
    ]  # fmt: skip
    for element_id in ids:
        assert f'id="{element_id}"' in page, element_id
    assert '<html lang="en">' in page
    assert '<label for="city-input">' in page


def test_pages_forbid_inline_script_and_type_sniffing(polling_app):
    page = requests.get(polling_app.url, timeout=5)
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"]
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert get_state(polling_app).headers["X-Content-Type-Options"] == "nosniff"


def test_the_state_has_the_shape_the_spec_gives(polling_app):
    state = get_state(polling_app).json()
    assert set(state) == {"visits", "present", "cities", "cursor", "now"}
    assert set(state["present"]) == {"total", "polling", "long_polling", "websockets"}
    assert isinstance(state["visits"], int) and isinstance(state["now"], float)
    assert state["cities"] == []


def test_an_unchanged_state_answers_304_with_no_body(polling_app):
    first = get_state(polling_app)
    etag = first.headers["ETag"]
    assert etag == f'"{first.json()["cursor"]}"'
    again = requests.get(f"{polling_app.url}/api/state", headers={"If-None-Match": etag}, timeout=5)
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag


def test_a_304_costs_at_most_300_bytes_on_the_wire(polling_app):
    etag = get_state(polling_app).headers["ETag"]
    request = (
        f"GET /api/state HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: {etag}\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", polling_app.port), timeout=5) as connection:
        connection.sendall(request.encode())
        answer = b""
        while chunk := connection.recv(4096):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 304")
    assert len(answer) <= 300, answer


def test_a_changed_state_gets_a_new_etag(polling_app):
    etag = get_state(polling_app).headers["ETag"]
    assert post_city(polling_app, '{"name": "Lisbon"}').status_code == 201
    after = requests.get(f"{polling_app.url}/api/state", headers={"If-None-Match": etag}, timeout=5)
    assert after.status_code == 200
    assert after.headers["ETag"] != etag
    assert after.json()["cities"][0]["name"] == "Lisbon"


def test_a_city_comes_back_trimmed_newest_first_and_verbatim(polling_app):
    for name in ["  Lisbon ", "<img src=x onerror=alert(1)>", "Zürich"]:
        response = post_city(polling_app, f'{{"name": "{name}"}}')
        assert response.status_code == 201, response.text
        city = response.json()
        assert city["name"] == name.strip()
        assert set(city) == {"id", "name", "at"}
    names = [city["name"] for city in get_state(polling_app).json()["cities"]]
    assert names == ["Zürich", "<img src=x onerror=alert(1)>", "Lisbon"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"name": ""}', "name is empty"),
        ('{"name": "   "}', "name is empty"),
        ('{"name": "' + "x" * 65 + '"}', "longer than 64"),
        ('{"name": "Paris\\u0007"}', "control characters"),
        ('{"name": "Line\\nbreak"}', "control characters"),
        ('{"name": 42}', "must be a string"),
        ('{"city": "Paris"}', '"name"'),
        ('["Paris"]', "JSON object"),
        ("{not json", "not valid JSON"),
    ],
)
def test_an_invalid_city_is_refused_with_a_reason_and_nothing_stored(polling_app, body, message):
    response = post_city(polling_app, body)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert get_state(polling_app).json()["cities"] == []


def test_a_body_that_is_not_json_answers_415_and_nothing_stored(polling_app):
    response = post_city(polling_app, "name=Paris", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert "JSON" in response.json()["error"]
    assert get_state(polling_app).json()["cities"] == []


def test_a_body_over_4_kib_answers_413_and_nothing_stored(polling_app):
    response = post_city(polling_app, '{"name": "' + "x" * 5000 + '"}')
    assert response.status_code == 413
    assert "4 KiB" in response.json()["error"]
    assert get_state(polling_app).json()["cities"] == []


def test_a_client_submitting_too_fast_gets_429_with_retry_after(polling_app):
    for number in range(5):
        assert post_city(polling_app, f'{{"name": "City {number}"}}', client="eager").status_code == 201
    refused = post_city(polling_app, '{"name": "One too many"}', client="eager")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 10
    assert "too many" in refused.json()["error"]
    assert post_city(polling_app, '{"name": "Someone else"}', client="patient").status_code == 201
    names = [city["name"] for city in get_state(polling_app).json()["cities"]]
    assert "One too many" not in names and "Someone else" in names


def test_the_rate_limit_is_a_setting(start_app):
    app = start_app("polling", RATE_LIMIT_CITIES=1, RATE_LIMIT_SECONDS=60)
    assert post_city(app, '{"name": "First"}').status_code == 201
    refused = post_city(app, '{"name": "Second"}')
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 10


def test_a_malformed_client_id_is_refused(polling_app):
    response = requests.get(f"{polling_app.url}/api/state", params={"client": "no spaces!"}, timeout=5)
    assert response.status_code == 400
    assert "client" in response.json()["error"]


def test_an_unknown_path_is_a_plain_404(polling_app):
    response = requests.get(f"{polling_app.url}/admin", timeout=5)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "Traceback" not in response.text


def test_the_explainer_links_to_a_doc_the_app_serves(polling_app):
    page = requests.get(polling_app.url, timeout=5).text
    assert 'href="/docs/polling.md"' in page
    doc = requests.get(f"{polling_app.url}/docs/polling.md", timeout=5)
    assert doc.status_code == 200
    assert doc.text.startswith("# ")
    assert requests.get(f"{polling_app.url}/docs/..%2Fshared%2Fsettings.py", timeout=5).status_code == 404
