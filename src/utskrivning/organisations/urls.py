from django.urls import path

from utskrivning.organisations import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("organisation/", views.choose_organisation, name="choose_organisation"),
]
