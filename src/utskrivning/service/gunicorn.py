"""gunicorn's own settings for `utskrivning serve` (`--config python:utskrivning.service.gunicorn`).

Threads in each worker process (gthread), so a request waiting on the database does not hold a
whole process; gunicorn's own lines as JSON on stdout like the service's, and no access log of its
own (service/logs.py writes one line per request, with its id). Workers, threads and timeout come
from the settings (UTSKRIVNING_WEB_*), passed on the command line by `serve`.
"""

worker_class = "gthread"
graceful_timeout = 30  # SIGTERM: requests under way get this long to finish
# Seconds a connection is kept open between requests. The proxy in front must be the one to close
# an idle connection: one that sends a request just as gunicorn closes it gets no answer (a 502
# to the user). gunicorn's own 2 s lost 4 of 3 000 worklist requests so in `make bench-service`;
# proxies keep theirs up to 60 s (nginx's upstream keepalive_timeout, a cloud load balancer's
# idle timeout), so 75 s is longer than theirs (docs/operations.md).
keepalive = 75
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
