"""City names, checked the same way by every app before anything is stored."""

import unicodedata

NAME_MAX_LENGTH = 64


def clean_city_name(payload):
    """Return the trimmed city name from a JSON payload, or raise ValueError saying why not."""
    if not isinstance(payload, dict):
        raise ValueError('send a JSON object such as {"name": "Lisbon"}')
    if "name" not in payload:
        raise ValueError('the object needs a "name"')
    name = payload["name"]
    if not isinstance(name, str):
        raise ValueError("name must be a string")
    name = name.strip()
    if not name:
        raise ValueError("name is empty")
    if len(name) > NAME_MAX_LENGTH:
        raise ValueError(f"name is longer than {NAME_MAX_LENGTH} characters")
    if any(unicodedata.category(char) == "Cc" for char in name):
        raise ValueError("name contains control characters")
    return name
