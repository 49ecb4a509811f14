"""Every test here runs on each path: a tuned store, then a textbook one, must behave the same."""

import pytest

from tests.apps import paths_under_test


@pytest.fixture(params=paths_under_test())
def textbook_or_tuned(request):
    """Each path in turn (tests/apps.py): tuned, then textbook; the textbook one alone if TEXTBOOK=1."""
    return request.param
