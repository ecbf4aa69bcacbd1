"""The WSGI entry for an application server (gunicorn, uWSGI): `utskrivning.service.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "utskrivning.service.settings")
application = get_wsgi_application()
