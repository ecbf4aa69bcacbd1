"""Every route of the service and the kind of data it shows: the one table each route's read
permission comes from (`organisations.permissions.READ`), checked before any view runs
(`service.middleware.DataAccessMiddleware`) and tested route by route from the URL
configuration (tests/trust/test_access_matrix.py). A route missing here is refused."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

from utskrivning.organisations.permissions import Data

ROUTE_DATA: dict[str, Data] = {
    "admin/": Data.ADMIN,  # every route under it
    "accounts/login/": Data.NONE,
    "accounts/logout/": Data.NONE,
    "accounts/organisation/": Data.NONE,
    "accounts/oidc/login/": Data.NONE,
    "accounts/oidc/callback/": Data.NONE,
    "accounts/oidc/backchannel-logout/": Data.NONE,
    "accounts/api-keys/": Data.API_KEYS,
    "accounts/api-keys/<int:pk>/revoke/": Data.API_KEYS,
    "i18n/setlang/": Data.NONE,
    "api/": Data.NONE,
    "api/openapi.json": Data.NONE,
    "api/docs": Data.NONE,
    "api/health": Data.NONE,
    "api/ready": Data.NONE,
    "api/(?P<rest>[\\s\\S]*)$": Data.NONE,  # the JSON 404 of a path no operation has
    "api/episodes/worklist": Data.PROCESS,
    "api/episodes/worklist/summary": Data.PROCESS,
    "api/episodes/<int:pk>": Data.PROCESS,
    "api/episodes/": Data.PROCESS,
    "api/episodes/<int:pk>/events": Data.PROCESS,
    "api/episodes/<int:pk>/acknowledgements": Data.PROCESS,
    "api/episodes/<int:pk>/patient": Data.PROCESS,
    "api/episodes/<int:pk>/deviations": Data.PROCESS,
    "api/episodes/notes/unread": Data.PROCESS,
    "api/episodes/<int:pk>/notes": Data.PROCESS,
    "api/episodes/<int:pk>/notes/<int:note_id>/receipt": Data.PROCESS,
    "api/deviations/episodes/<int:pk>": Data.PROCESS,
    "api/episodes/deviations": Data.DEVIATIONS,
    "api/deviations/followup": Data.DEVIATIONS,
    "api/deviations/followup.csv": Data.DEVIATIONS,
    "api/payment/invoice-basis/<code>/<month>": Data.INVOICES,
    "api/payment/invoice-basis/<code>/<month>/approval": Data.INVOICES,
    "api/payment/invoice-basis/<code>/<month>/reopen": Data.INVOICES,
    "api/payment/disputes": Data.INVOICES,
    "api/payment/disputes/<int:pk>/answer": Data.INVOICES,
    "api/payment/files/<code>/<month>/basis.xlsx": Data.INVOICES,
    "api/payment/files/<code>/<month>/episodes.csv": Data.INVOICES,
    "api/episodes/import": Data.IMPORTS,
    "api/import-jobs/": Data.IMPORTS,
    "api/import-jobs/<uuidstr:pk>": Data.IMPORTS,
    "api/followup/dashboard": Data.FOLLOWUP,
    "followup/": Data.FOLLOWUP,
    "followup/data/<str:chart>.csv": Data.FOLLOWUP,
    "followup/report/<int:pk>/<str:month>.<str:fmt>": Data.FOLLOWUP,
    "": Data.PROCESS,
    "start/": Data.NONE,  # a redirect to the role's start page (web.start)
    "episodes/new/": Data.PROCESS,
    "episodes/<int:pk>/": Data.PROCESS,
    "episodes/<int:pk>/events/": Data.PROCESS,
    "episodes/<int:pk>/deviations/": Data.PROCESS,
    "episodes/<int:pk>/notes/": Data.PROCESS,
    "episodes/<int:pk>/notes/<int:note_id>/read/": Data.PROCESS,
    "deviations/": Data.DEVIATIONS,
    "deviations/deviations.csv": Data.DEVIATIONS,
    "disputes/": Data.INVOICES,
    "disputes/<int:pk>/answer/": Data.INVOICES,
    "invoices/": Data.INVOICES,
    "invoices/<str:code>/<str:month>/": Data.INVOICES,
    "invoices/<str:code>/<str:month>/disputes/": Data.INVOICES,
    "invoices/<str:code>/<str:month>/approve/": Data.INVOICES,
    "invoices/<str:code>/<str:month>/reopen/": Data.INVOICES,
    "invoices/<str:code>/<str:month>/basis.xlsx": Data.INVOICES,
    "invoices/<str:code>/<str:month>/basis.pdf": Data.INVOICES,
    "invoices/<str:code>/<str:month>/episodes.csv": Data.INVOICES,
    "notifications/": Data.PROCESS,
    "notifications/counter/": Data.NONE,  # counts only, polled by every page: not audited
    "notifications/settings/": Data.NONE,  # the person's own choices
    "notifications/organisation/": Data.WEBHOOKS,
    "notifications/organisation/mailboxes/<int:pk>/remove/": Data.WEBHOOKS,
    "notifications/webhooks/<int:pk>/": Data.WEBHOOKS,
    "notifications/webhooks/<int:pk>/off/": Data.WEBHOOKS,
    "api/webhooks/": Data.WEBHOOKS,
    "api/webhooks/<int:pk>": Data.WEBHOOKS,
    "api/webhooks/<int:pk>/deliveries": Data.WEBHOOKS,
    "import/": Data.IMPORTS,
    "import/<uuid:pk>/": Data.IMPORTS,
}


def route_data(route: str) -> Data | None:
    """The data `route` (as `request.resolver_match.route` spells it) shows; None if unknown."""
    if route.startswith("admin/"):
        return Data.ADMIN
    return ROUTE_DATA.get(route)


def all_routes() -> Iterator[str]:
    """Every route of the URL configuration, spelt as the resolver spells a match's route."""

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[str]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern).removeprefix("^")
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route

    yield from walk(get_resolver().url_patterns, "")
