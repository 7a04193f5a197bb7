from django.urls import path

from phoihop.programs import event_views, views

app_name = "programs"

urlpatterns = [
    path("", views.program_list, name="list"),
    path("su-kien/<int:pk>/", views.event_detail, name="event"),
    path("su-kien/moi/", event_views.event_create, name="event_create"),
    path("su-kien/<int:pk>/sua/", event_views.event_edit, name="event_edit"),
    path("su-kien/<int:pk>/da-to-chuc/", event_views.event_held, name="event_held"),
    path("su-kien/<int:pk>/huy/", event_views.event_cancel, name="event_cancel"),
    path("su-kien/<int:pk>/tep/", event_views.attachment_add, name="event_attachment_add"),
    path("su-kien/tep/<int:pk>/", event_views.attachment_download, name="event_attachment"),
    path("su-kien/tep/<int:pk>/go/", event_views.attachment_remove, name="event_attachment_remove"),
    path("su-kien/", views.event_list, name="events"),
    path("ban-chi-dao/", views.committee_list, name="committees"),
    path("ban-chi-dao/<int:pk>/", views.committee_detail, name="committee"),
    path("ban-chi-dao/<int:pk>/thanh-vien/them/", event_views.member_add, name="committee_member_add"),
    path("ban-chi-dao/thanh-vien/<int:pk>/sua/", event_views.member_edit, name="committee_member_edit"),
    path("ban-chi-dao/thanh-vien/<int:pk>/ket-thuc/", event_views.member_end, name="committee_member_end"),
    path("loi-moi/", views.invitation_list, name="invitations"),
    path("loi-moi/<int:pk>/tra-loi/", views.invitation_answer, name="invitation_answer"),
    path("tao-moi/", views.program_create, name="create"),
    path("to-chuc/", views.organization_picker, name="org_picker"),
    path("<slug:code>/", views.program_detail, name="detail"),
    path("<slug:code>/sua/", views.program_edit, name="edit"),
    path("<slug:code>/giai-doan-tiep-theo/", views.program_successor, name="successor"),
    path("<slug:code>/trang-thai/<slug:status>/", views.program_status, name="status"),
]
