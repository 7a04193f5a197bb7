from django.urls import path

from phoihop.programs import views

app_name = "programs"

urlpatterns = [
    path("", views.program_list, name="list"),
    path("su-kien/<int:pk>/", views.event_detail, name="event"),
    path("su-kien/", views.event_list, name="events"),
    path("ban-chi-dao/", views.committee_list, name="committees"),
    path("ban-chi-dao/<int:pk>/", views.committee_detail, name="committee"),
    path("loi-moi/", views.invitation_list, name="invitations"),
    path("loi-moi/<int:pk>/tra-loi/", views.invitation_answer, name="invitation_answer"),
    path("<slug:code>/", views.program_detail, name="detail"),
]
