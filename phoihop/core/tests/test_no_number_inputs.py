"""No <input type=number> anywhere in the product, the admin included (issue 14, point 3): a
browser in another locale reads "45,5" as 455 or drops it. Every number field reads the
Vietnamese way (core.forms); the admin's through the project's admin site (core.admin_site)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

import phoihop
from phoihop.accounts.tests.test_permission_matrix import PAGES, ctx  # noqa: F401  (every page, its world)
from phoihop.core.admin_mixins import VietnameseNumbersAdmin
from phoihop.reporting.models import Activity, Indicator

NUMBER_INPUT = re.compile(r"""type\s*=\s*["']?number\b""", re.IGNORECASE)


def _admin_add_urls():
    return [reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_add") for m in admin.site._registry]


@pytest.mark.django_db
def test_every_admin_add_page_has_no_number_input(client, sysadmin):
    client.force_login(sysadmin)
    converted = 0
    for url in _admin_add_urls():
        response = client.get(url)
        assert response.status_code in (200, 403), url  # 403: a read-only catalogue (logs, workflow rows)
        html = response.content.decode()
        assert not NUMBER_INPUT.search(html), url
        converted += 'inputmode="decimal"' in html
    assert converted >= 5  # the numeric fields are there, as Vietnamese number boxes


def test_every_registered_admin_and_inline_reads_numbers_the_vietnamese_way(rf: RequestFactory):
    request = rf.get("/")
    request.user = type("Root", (), {"is_active": True, "is_staff": True, "is_superuser": True, "pk": 0,
                                     "has_perm": lambda *a: True, "is_authenticated": True})()
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, VietnameseNumbersAdmin), model
        for inline in model_admin.get_inlines(request, None):
            assert issubclass(inline, VietnameseNumbersAdmin), (model, inline)


@pytest.mark.django_db
def test_a_money_field_of_the_admin_reads_45_5_as_45_5(rf, sysadmin):
    request = rf.get("/")
    request.user = sysadmin
    form_class = admin.site._registry[Activity].get_form(request)
    field = form_class.base_fields["funds_spent"]
    assert field.clean("45,5") == Decimal("45.5") and field.clean("1.234,5") == Decimal("1234.5")
    with pytest.raises(forms.ValidationError):
        field.clean("45,5,1")
    indicator_form = admin.site._registry[Indicator].get_form(request)
    assert indicator_form.base_fields["max_value"].clean("1.000,25") == Decimal("1000.25")
    assert 'type="number"' not in str(indicator_form().as_p())


@pytest.mark.django_db
def test_an_admin_form_posted_with_a_decimal_comma_saves_the_number(client, sysadmin):
    from phoihop.programs.models import ContentArea

    client.force_login(sysadmin)
    response = client.post(reverse("admin:reporting_indicator_add"), {
        "code": "thu_tien", "name": "Tiền thử", "unit": "triệu đồng", "value_type": "money",
        "content_area": ContentArea.objects.first().pk, "aggregation": "sum", "ratio_scale": "100",
        "min_value": "0,5", "max_value": "1.000,25", "order": "1.200",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = Indicator.objects.get(code="thu_tien")
    assert (saved.min_value, saved.max_value, saved.order) == (Decimal("0.5"), Decimal("1000.25"), 1200)


def _product_forms() -> list[type[forms.BaseForm]]:
    """Every form class the product defines (modules named forms or *_forms, admin modules too)."""
    for module in pkgutil.walk_packages(phoihop.__path__, "phoihop."):
        last = module.name.rsplit(".", 1)[-1]
        if ".tests" not in module.name and (last in ("forms", "admin") or last.endswith("_forms")):
            importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("phoihop.") and ".tests" not in sub.__module__:
                found.append(sub)
    return found


@pytest.mark.django_db
def test_no_product_form_declares_a_number_input():
    checked = _product_forms()
    assert len(checked) >= 10
    for form_class in checked:
        for name, field in form_class.base_fields.items():
            if getattr(field.widget, "input_type", "") == "hidden":
                continue
            assert getattr(field.widget, "input_type", "") != "number", f"{form_class.__module__}.{form_class.__name__}.{name}"


def test_no_template_writes_a_number_input():
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]] + list(Path(phoihop.__file__).parent.glob("*/templates"))
    templates = [p for root in roots for p in root.rglob("*.html")]
    assert templates
    for path in templates:
        assert not NUMBER_INPUT.search(path.read_text(encoding="utf-8")), path


@pytest.mark.django_db
def test_no_page_shows_a_number_input(client, ctx, sysadmin):  # noqa: F811  (the permission matrix's world)
    client.force_login(sysadmin)
    seen = 0
    for name, method, url, _body, _expected in PAGES:
        if method != "get":
            continue
        response = client.get(url(ctx))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        seen += 1
        assert not NUMBER_INPUT.search(response.content.decode()), name
    assert seen >= 30
