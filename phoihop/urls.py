from django.contrib import admin
from django.urls import include, path

from phoihop.api.urls import api
from phoihop.home import views as home_views
from phoihop.news import views as news_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("tai-khoan/", include("phoihop.accounts.urls")),
    path("to-chuc/", include("phoihop.organizations.urls")),
    path("chuong-trinh/", include("phoihop.programs.urls")),
    path("lich/", include("phoihop.almanac.urls")),
    path("bao-cao/", include("phoihop.reporting.urls")),
    path("so-ket/", include("phoihop.reviews.urls")),
    path("tin-tuc/", include("phoihop.news.urls")),
    path("sitemap.xml", news_views.sitemap, name="sitemap"),
    path("bang-dieu-khien/", include("phoihop.dashboards.urls")),
    path("quan-tri-he-thong/", include("phoihop.operations.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
    path("api/", api.urls),
]
