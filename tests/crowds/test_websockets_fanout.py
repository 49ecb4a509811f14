"""The fan-out writes a broadcast straight to idle sockets: pinned to what it relies on in the libraries."""

import json

import gevent
import pytest
from engineio.packet import MESSAGE, Packet
from gevent.pywsgi import WSGIServer
from wsproto.frame_protocol import FrameProtocol

import websockets
from shared import tuning
from shared.board.events import parse_cursor
from shared.tuning import fanout
from shared.web.http_handler import BoardHandler
from tests.servers import wait_until
from tests.sockets import RecordingSocket


@pytest.mark.parametrize("length", [0, 125, 126, 300, 65535, 65536])
def test_a_frame_is_the_frame_wsproto_would_send(length):
    text = "é" * (length // 2) + "x" * (length % 2)  # multi-byte characters: the length is in bytes
    assert fanout.text_frame(text) == FrameProtocol(client=False, extensions=[]).send_data(text, fin=True)


@pytest.fixture
def app_in_this_process(monkeypatch, redis_url, key_prefix):
    """The websockets app on gevent's server in this process, so a test can look at its sockets."""
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("BOARD_KEY_PREFIX", key_prefix)
    monkeypatch.setenv("TEXTBOOK", "0")  # the tuned path, as this run's TEXTBOOK may say otherwise
    app = websockets.create_app()
    tuning.tune(app)  # as shared/serve.py does: the direct fan-out is a tuning
    server = WSGIServer(("127.0.0.1", 0), app, handler_class=BoardHandler, log=None)
    server.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.stop(timeout=2)
    app.extensions["board_store"].close()


def test_an_idle_socket_is_written_to_directly_and_its_page_hears_the_event(app_in_this_process):
    app, url = app_in_this_process
    page = RecordingSocket(url)
    try:
        wait_until(page.states, message="the socket's first state")
        # What the fan-out relies on: engine.io built this socket's WebSocket with
        # fanout.DirectWebSocket, marks it upgraded, and lets a frame go out at once.
        (engine_socket,) = app.extensions["socketio"].server.eio.sockets.values()
        assert isinstance(engine_socket.direct_websocket, fanout.DirectWebSocket)
        event = {"type": "visits", "visits": 7, "cursor": "1-0", "at": 0.001}
        frame = fanout.text_frame("42" + json.dumps(["event", event]))  # engine.io message, socket.io event
        assert fanout.write_now(engine_socket, frame)
        wait_until(lambda: page.events() == [event], message="the event written straight to the socket")
        # A packet waiting in the socket's queue is never overtaken: the next frame queues behind it.
        queued, after_it = ({**event, "visits": visits} for visits in (8, 9))
        engine_socket.send(Packet(MESSAGE, "42" + json.dumps(["event", queued])))
        assert not fanout.write_now(engine_socket, fanout.text_frame("42" + json.dumps(["event", after_it])))
    finally:
        page.close()


def test_cities_and_acknowledgements_at_once_all_arrive_in_order(websockets_app, open_socket, store):
    page = open_socket(websockets_app, auth={"client": "busy-tab"})
    wait_until(page.states, message="the socket's first state")
    names = [f"Stop {number}" for number in range(200)]

    def write():
        """Add the cities one after another, letting the sockets read between them."""
        for name in names:
            store.add_city(name)
            gevent.sleep(0)

    writer = gevent.spawn(write)
    # Acknowledgements go through the socket's queue while the cities go straight out.
    acknowledgements = [page.call("ping") for _ in range(50)]
    writer.get(timeout=30)
    wait_until(lambda: page.city_names()[-1:] == names[-1:], message="the last city")
    assert acknowledgements == ["pong"] * 50
    assert page.city_names() == names, "every city once, in order"
    cursors = [parse_cursor(event["cursor"]) for event in page.events()]
    assert cursors == sorted(set(cursors)), "no event twice, none out of order"
