from django.urls import path

from phoihop.organizations import views, views_members

app_name = "organizations"

urlpatterns = [
    path("", views.organization_list, name="list"),
    path("<int:pk>/", views.organization_detail, name="detail"),
    path("<int:pk>/nguoi-dung/", views_members.members, name="members"),
]
