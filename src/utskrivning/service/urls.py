"""The service's URLs; each app brings its own list, included here under its prefix."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    # One login page for everyone, so the admin's login is rate-limited and audited too.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("accounts/", include("utskrivning.organisations.urls")),
    path("api/", include("utskrivning.service.api")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("followup/", include("utskrivning.followup.urls")),
    path("notifications/", include("utskrivning.notifications.urls")),
    path("", include("utskrivning.web.urls")),
]

# Swedish pages (JSON under /api/) instead of Django's English defaults; a 500 shows its reference.
handler400 = "utskrivning.service.errors.bad_request"
handler403 = "utskrivning.service.errors.permission_denied"
handler404 = "utskrivning.service.errors.page_not_found"
handler500 = "utskrivning.service.errors.server_error"
