from django.urls import path

from utskrivning.web.views import episode, imports, invoices, worklist

app_name = "web"

urlpatterns = [
    path("", worklist.worklist, name="worklist"),
    path("episodes/new/", episode.admit, name="admit"),
    path("episodes/<int:pk>/", episode.detail, name="episode"),
    path("episodes/<int:pk>/events/", episode.record_event, name="record_event"),
    path("invoices/", invoices.current, name="invoices_current"),
    path("invoices/<str:code>/<str:month>/", invoices.basis, name="invoices"),
    path("invoices/<str:code>/<str:month>/basis.xlsx", invoices.xlsx, name="invoices_xlsx"),
    path("invoices/<str:code>/<str:month>/basis.pdf", invoices.pdf, name="invoices_pdf"),
    path("invoices/<str:code>/<str:month>/episodes.csv", invoices.csv, name="invoices_csv"),
    path("import/", imports.upload, name="import"),
]
