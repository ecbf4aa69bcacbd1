from django.urls import path

from utskrivning.organisations import api_key_views, views
from utskrivning.organisations.oidc import views as oidc_views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("oidc/login/", oidc_views.ProviderLoginView.as_view(), name="oidc_login"),
    path("oidc/callback/", oidc_views.ProviderCallbackView.as_view(), name="oidc_callback"),
    path("oidc/backchannel-logout/", oidc_views.backchannel_logout, name="oidc_backchannel_logout"),
    path("organisation/", views.choose_organisation, name="choose_organisation"),
    path("api-keys/", api_key_views.api_keys, name="api_keys"),
    path("api-keys/<int:pk>/revoke/", api_key_views.revoke, name="api_key_revoke"),
]
