"""Excel routes, included by the reporting URLconf under /bao-cao/excel/ (namespace "reporting")."""

from django.urls import path

from phoihop.reporting import views_excel

urlpatterns = [
    path("<int:org_id>/", views_excel.import_upload, name="import_upload"),
    path("<int:org_id>/mau.xlsx", views_excel.template_download, name="template_download"),
    path("<int:org_id>/xuat/", views_excel.export, name="export"),
]
