from django.urls import path

from utskrivning.followup import views

app_name = "followup"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("data/<str:chart>.csv", views.chart_csv, name="chart_csv"),
    path("report/<int:pk>/<str:month>.<str:fmt>", views.report, name="report"),
]
