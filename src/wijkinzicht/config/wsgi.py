"""WSGI entry point (gunicorn wijkinzicht.config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkinzicht.config.settings")
application = get_wsgi_application()

from wijkinzicht.core.runtime import settle  # noqa: E402 - after Django is set up

settle()
