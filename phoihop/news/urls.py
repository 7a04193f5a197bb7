from django.urls import path

from phoihop.news import feeds, views

app_name = "news"

urlpatterns = [
    # Public, no login.
    path("", views.article_list, name="list"),
    path("<int:pk>/<slug:slug>/", views.article_detail, name="article"),
    path("chuyen-muc/<slug:slug>/", views.article_list, name="category"),
    path("rss/", feeds.LatestArticlesRss(), name="rss"),
    path("atom/", feeds.LatestArticlesAtom(), name="atom"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("anh/<int:year>/<str:name>", views.image, name="image"),
    # Editors (committee administrators of the publishing organisation).
    path("bien-tap/", views.manage, name="manage"),
    path("soan/", views.create, name="create"),
    path("soan/tu-su-kien/<int:event_id>/", views.from_event, name="draft_from_event"),
    path("bien-tap/<int:pk>/", views.edit, name="edit"),
    path("bien-tap/<int:pk>/xem-truoc/", views.preview, name="preview"),
    path("bien-tap/<int:pk>/xuat-ban/", views.publish, name="publish"),
    path("bien-tap/<int:pk>/trang-thai/", views.change_status, name="status"),
    path("bien-tap/<int:pk>/anh/", views.upload_image, name="upload_image"),
]
