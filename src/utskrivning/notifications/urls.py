from django.urls import path

from utskrivning.notifications import admin_views, views

app_name = "notifications"

urlpatterns = [
    path("", views.notices, name="notices"),
    path("counter/", views.counter, name="counter"),
    path("settings/", views.preferences, name="settings"),
    path("organisation/", admin_views.organisation, name="organisation"),
    path("organisation/mailboxes/<int:pk>/remove/", admin_views.mailbox_off, name="mailbox_off"),
    path("webhooks/<int:pk>/", admin_views.webhook_log, name="webhook"),
    path("webhooks/<int:pk>/off/", admin_views.webhook_off, name="webhook_off"),
]
