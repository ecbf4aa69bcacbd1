"""The Django project: settings, URLs, the WSGI/ASGI entries and the commands that start it."""
