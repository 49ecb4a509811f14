"""Every test here runs on each path: the spec's promises hold with the crowd tunings on and off."""

import pytest

from tests.apps import paths_under_test


@pytest.fixture(params=paths_under_test())
def textbook_or_tuned(request):
    """Each path in turn (tests/apps.py): tuned, then textbook; the textbook one alone if TEXTBOOK=1."""
    return request.param
