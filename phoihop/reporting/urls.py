from django.urls import include, path

from phoihop.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.my_periods, name="my_periods"),
    path("duyet/", views.approval_queue, name="queue"),
    path("duyet/nhieu/", views.approve_selected, name="approve_selected"),
    path("chi-so/", views.indicator_catalog, name="indicators"),
    path("chi-tieu/<slug:code>/", views.targets, name="targets"),
    path("chi-tieu/<slug:code>/excel/", views.targets_excel, name="targets_excel"),
    path("hoat-dong/", views.activity_list, name="activities"),
    path("hoat-dong/them/", views.activity_form, name="activity_add"),
    path("hoat-dong/<int:pk>/", views.activity_detail, name="activity"),
    path("hoat-dong/<int:pk>/sua/", views.activity_form, name="activity_edit"),
    path("<int:org_id>/<str:period_code>/", views.entry_grid, name="grid"),
    path("<int:org_id>/<str:period_code>/duyet/", views.approve, name="approve"),
    path("<int:org_id>/<str:period_code>/xac-nhan/", views.confirm, name="confirm"),
    path("<int:org_id>/<str:period_code>/tra-lai/", views.return_report, name="return"),
    path("<int:org_id>/<str:period_code>/mo-lai/", views.reopen, name="reopen"),
    path("excel/", include("phoihop.reporting.urls_excel")),
]
