from django.urls import path

from utskrivning.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notices, name="notices"),
    path("counter/", views.counter, name="counter"),
    path("settings/", views.preferences, name="settings"),
]
