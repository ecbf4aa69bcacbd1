"""The ASGI entry for an ASGI server (uvicorn, daphne): `utskrivning.service.asgi`."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "utskrivning.service.settings")
application = get_asgi_application()
