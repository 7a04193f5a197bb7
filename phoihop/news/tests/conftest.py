"""Shared pieces of the bulletin tests: articles in every state, a clean view-count cache,
uploads kept out of the real media folder, and the 09/7/2019 scenario."""

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.utils import timezone

from phoihop.news.models import Article, ArticleStatus, Category

BROWSER_UA = ("Mozilla/5.0 (Linux; Android 13; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/126.0.0.0 Mobile Safari/537.36")


@pytest.fixture(autouse=True)
def _fresh_view_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def category(db):
    return Category.objects.get_or_create(slug="hoat-dong-phoi-hop", defaults={"name": "Hoạt động phối hợp"})[0]


def make_article(org, *, title="Tin thử nghiệm", status=ArticleStatus.DRAFT, published_at=None, **fields):
    fields.setdefault("lead", "Sa pô của tin thử nghiệm.")
    fields.setdefault("body", "<p>Nội dung tin thử nghiệm.</p>")
    return Article.objects.create(organization=org, title=title, status=status, published_at=published_at, **fields)


@pytest.fixture
def published(org_a, category):
    return make_article(org_a, title="Ký kết chương trình phối hợp giai đoạn 2019 - 2023",
                        status=ArticleStatus.PUBLISHED, published_at=timezone.now() - dt.timedelta(hours=2),
                        category=category, lead="Các bên ký kết chương trình dân vận mới.")


@pytest.fixture
def draft(org_a):
    return make_article(org_a, title="Bản nháp nội bộ")


@pytest.fixture
def withdrawn(org_a):
    return make_article(org_a, title="Tin đã thu hồi", status=ArticleStatus.WITHDRAWN,
                        published_at=timezone.now() - dt.timedelta(days=3))


@pytest.fixture
def scheduled(org_a):
    return make_article(org_a, title="Tin hẹn giờ", status=ArticleStatus.PUBLISHED,
                        published_at=timezone.now() + dt.timedelta(days=2))


@pytest.fixture
def reader(client):
    """An anonymous reader with an ordinary phone browser."""
    client.defaults["HTTP_USER_AGENT"] = BROWSER_UA
    client.defaults["REMOTE_ADDR"] = "203.0.113.57"
    return client


def png_bytes(width=40, height=30, fmt="PNG") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (164, 22, 26)).save(out, fmt)
    return out.getvalue()


@pytest.fixture
def bac_ninh(db):
    """Organisations, programs, the events of 09/7/2019 and the city's commemorations."""
    from phoihop.demo import almanac, organizations, programs
    from phoihop.demo.catalogs import ensure_catalogs

    ensure_catalogs()
    orgs = organizations.load()
    programs.load(orgs)
    almanac.load(orgs)
    return orgs
