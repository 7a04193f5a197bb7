from django.urls import path

from phoihop.operations import views

app_name = "operations"

urlpatterns = [
    path("", views.index, name="index"),
    path("dang-nhap/", views.logins, name="logins"),
    path("phe-duyet/", views.approvals, name="approvals"),
]
