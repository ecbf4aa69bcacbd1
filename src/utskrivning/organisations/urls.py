from django.urls import path

from utskrivning.organisations import api_key_views, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("organisation/", views.choose_organisation, name="choose_organisation"),
    path("api-keys/", api_key_views.api_keys, name="api_keys"),
    path("api-keys/<int:pk>/revoke/", api_key_views.revoke, name="api_key_revoke"),
]
