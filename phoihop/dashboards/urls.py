from django.urls import path

from phoihop.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.index, name="index"),
    path("bao-cao-vien/", views.reporter, name="reporter"),
    path("thuong-truc/", views.office, name="office"),
    path("lanh-dao/", views.leader, name="leader"),
]
