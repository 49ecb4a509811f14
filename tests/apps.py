"""The sibling apps every shared suite runs against, TodoMVC style: a new technique is one entry.

And the two paths each app runs on (docs/spec.md, "Settings are environment variables"):
the tuned one, and the textbook one with every crowd tuning off.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from shared.board.settings import textbook_from_env
from tests.pages import (
    LivePage,
    open_long_polling_page,
    open_polling_page,
    open_sse_page,
    open_websockets_page,
)


@dataclass(frozen=True)
class SiblingApp:
    """One technique's app, with the settings that make it quick to test without changing what it does."""

    technique: str
    open_page: Callable[[str], LivePage]  # a stand-in page of this technique, given the app's URL
    quick_env: dict = field(default_factory=dict)  # for the app process
    client_options: tuple = ()  # for its terminal client, `python -m <technique>.client`


APPS = (
    SiblingApp("polling", open_polling_page, {"POLL_INTERVAL": "0.5"}, ("--interval", "0.2")),
    SiblingApp("long_polling", open_long_polling_page, {"HOLD_SECONDS": "5"}, ("--hold", "5")),
    SiblingApp("sse", open_sse_page),
    SiblingApp("websockets", open_websockets_page),
)
APPS_BY_TECHNIQUE = {app.technique: app for app in APPS}

# Each path, and the setting that puts an app process on it, whatever this test run's own TEXTBOOK says.
PATHS = {"tuned": {"TEXTBOOK": "0"}, "textbook": {"TEXTBOOK": "1"}}


def paths_under_test():
    """The paths the behaviour and store suites run on: the textbook one alone if this run has TEXTBOOK=1."""
    return ["textbook"] if textbook_from_env() else list(PATHS)
