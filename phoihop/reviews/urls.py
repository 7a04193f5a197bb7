from django.urls import path

from phoihop.reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("moi/", views.review_create, name="create"),
    path("<int:pk>/", views.contributions, name="contributions"),
    path("<int:pk>/so-lieu/", views.figures, name="figures"),
    path("<int:pk>/noi-dung/", views.narratives, name="narratives"),
    path("<int:pk>/xem-truoc/", views.preview, name="preview"),
    path("<int:pk>/trang-thai/", views.change_status, name="status"),
    path("<int:pk>/bao-cao.<str:ext>", views.download, name="download"),
    path("van-ban/<slug:code>.<str:ext>", views.program_document, name="program_document"),
]
