import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _dutch():
    """Services word their messages in the active language; a request in another test may have
    left English active in this thread (LocaleMiddleware does not reset it), so pin Dutch."""
    with translation.override("nl"):
        yield
