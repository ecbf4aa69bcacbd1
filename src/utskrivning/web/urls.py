from django.urls import path

from utskrivning.web.views import deviations, disputes, episode, imports, invoices, notes, worklist

app_name = "web"

urlpatterns = [
    path("", worklist.worklist, name="worklist"),
    path("start/", worklist.start, name="start"),
    path("episodes/new/", episode.admit, name="admit"),
    path("episodes/<int:pk>/", episode.detail, name="episode"),
    path("episodes/<int:pk>/events/", episode.record_event, name="record_event"),
    path("episodes/<int:pk>/deviations/", episode.report_deviation, name="report_deviation"),
    path("episodes/<int:pk>/notes/", notes.send, name="send_note"),
    path("episodes/<int:pk>/notes/<int:note_id>/read/", notes.read, name="read_note"),
    path("deviations/", deviations.followup, name="deviations"),
    path("deviations/deviations.csv", deviations.followup_csv, name="deviations_csv"),
    path("disputes/", disputes.disputes, name="disputes"),
    path("disputes/<int:pk>/answer/", disputes.answer, name="dispute_answer"),
    path("invoices/", invoices.current, name="invoices_current"),
    path("invoices/<str:code>/<str:month>/", invoices.basis, name="invoices"),
    path("invoices/<str:code>/<str:month>/disputes/", invoices.dispute, name="invoices_dispute"),
    path("invoices/<str:code>/<str:month>/approve/", invoices.approve, name="invoices_approve"),
    path("invoices/<str:code>/<str:month>/reopen/", invoices.reopen, name="invoices_reopen"),
    path("invoices/<str:code>/<str:month>/basis.xlsx", invoices.xlsx, name="invoices_xlsx"),
    path("invoices/<str:code>/<str:month>/basis.pdf", invoices.pdf, name="invoices_pdf"),
    path("invoices/<str:code>/<str:month>/episodes.csv", invoices.csv, name="invoices_csv"),
    path("import/", imports.upload, name="import"),
    path("import/<uuid:pk>/", imports.job, name="import_job"),
]
