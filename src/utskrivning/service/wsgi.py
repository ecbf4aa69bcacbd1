"""The WSGI entry for an application server (gunicorn, uWSGI): `utskrivning.service.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "utskrivning.service.settings")
application = get_wsgi_application()
# Every view imported as the worker starts, not by its first request: that request waited half a
# second on the imports (the PDF library among them), a stall a fresh worker added to the queue.
get_resolver().resolve("/")
