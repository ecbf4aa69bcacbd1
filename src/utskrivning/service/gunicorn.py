"""gunicorn's own settings for `utskrivning serve` (`--config python:utskrivning.service.gunicorn`).

Threads in each worker process (gthread), so a request waiting on the database does not hold a
whole process; gunicorn's own lines as JSON on stdout like the service's, and no access log of its
own (service/logs.py writes one line per request, with its id). Workers, threads and timeout come
from the settings (UTSKRIVNING_WEB_*), passed on the command line by `serve`.
"""

worker_class = "gthread"
graceful_timeout = 30  # SIGTERM: requests under way get this long to finish
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "utskrivning.service.logs.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
    "root": {"handlers": ["stdout"], "level": "INFO"},
}
