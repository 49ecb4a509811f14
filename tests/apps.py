"""The sibling apps every shared suite runs against, TodoMVC style: a new technique is one entry."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SiblingApp:
    """One technique's app, with the settings that make it quick to test without changing what it does."""

    technique: str
    quick_env: dict = field(default_factory=dict)  # for the app process
    client_options: tuple = ()  # for its terminal client, `python -m <technique>.client`


APPS = (
    SiblingApp("polling", {"POLL_INTERVAL": "0.5"}, ("--interval", "0.2")),
    SiblingApp("long_polling", {"HOLD_SECONDS": "5"}, ("--hold", "5")),
    SiblingApp("websockets"),
)
APPS_BY_TECHNIQUE = {app.technique: app for app in APPS}
