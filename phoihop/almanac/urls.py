from django.urls import path

from phoihop.almanac import views

app_name = "almanac"

urlpatterns = [
    path("", views.month_view, name="month_current"),
    path("<int:year>/<int:month>/", views.month_view, name="month"),
    path("ngay-ky-niem/", views.commemoration_list, name="commemorations"),
    path("ngay-ky-niem/them/", views.commemoration_add, name="commemoration_add"),
    path("ngay-ky-niem/<int:pk>/sua/", views.commemoration_edit, name="commemoration_edit"),
    path("chu-de-nam/", views.theme_list, name="themes"),
    path("chu-de-nam/them/", views.theme_add, name="theme_add"),
    path("chu-de-nam/<int:pk>/sua/", views.theme_edit, name="theme_edit"),
    path("trong-tam/", views.focus_view, name="focus"),
    path("to-chuc/<int:pk>/lich.ics", views.organization_feed, name="organization_feed"),
    path("chuong-trinh/<slug:code>/lich.ics", views.program_feed, name="program_feed"),
]
