"""The demo's real 2025 changes, read through the one 'tree as of date' service."""

import datetime as dt

import pytest
from django.core.management import call_command

from phoihop.organizations.models import Organization
from phoihop.organizations.services import organization_tree

D = dt.date


@pytest.fixture
def demo(db):
    call_command("loaddemo", verbosity=0)


def _names(day, **kw):
    return {n.organization.name for n in organization_tree(day, **kw)}


def _parent(day, name):
    node = next(n for n in organization_tree(day) if n.organization.name == name and n.organization.is_valid_on(day))
    return node.parent.name if node.parent else None


def test_city_bodies_exist_until_the_district_level_ends(demo):
    assert "Ban Chỉ huy Quân sự thành phố Bắc Ninh" in _names(D(2025, 6, 30))
    assert "Ban Chỉ huy Quân sự thành phố Bắc Ninh" not in _names(D(2025, 7, 1))
    assert "Hội Liên hiệp Phụ nữ thành phố Bắc Ninh" not in _names(D(2025, 7, 1))


def test_the_military_command_is_succeeded_by_a_regional_defence_command(demo):
    old = Organization.objects.get(name="Ban Chỉ huy Quân sự thành phố Bắc Ninh")
    link = old.successor_links.get()
    assert link.effective == D(2025, 7, 1)
    assert "Phòng thủ khu vực" in link.successor.name
    assert link.successor.is_valid_on(D(2025, 7, 1))


def test_propaganda_and_mass_mobilisation_boards_are_merged(demo):
    before = _names(D(2025, 2, 28))
    after = _names(D(2025, 3, 1))
    assert {"Ban Dân vận Thành ủy Bắc Ninh", "Ban Tuyên giáo Thành ủy Bắc Ninh"} <= before
    assert "Ban Tuyên giáo và Dân vận Thành ủy Bắc Ninh" not in before
    assert "Ban Dân vận Thành ủy Bắc Ninh" not in after
    assert "Ban Tuyên giáo và Dân vận Thành ủy Bắc Ninh" in after
    merged = Organization.objects.get(name="Ban Tuyên giáo và Dân vận Thành ủy Bắc Ninh")
    assert merged.predecessor_links.count() == 2


def test_mass_organisations_come_under_the_fatherland_front(demo):
    assert _parent(D(2019, 7, 9), "Hội Liên hiệp Phụ nữ thành phố Bắc Ninh") == "Hội Liên hiệp Phụ nữ tỉnh Bắc Ninh"
    assert _parent(D(2025, 6, 30), "Hội Liên hiệp Phụ nữ tỉnh Bắc Ninh") is None
    assert _parent(D(2025, 7, 1), "Hội Liên hiệp Phụ nữ tỉnh Bắc Ninh") == "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Bắc Ninh"


def test_the_tree_is_depth_first_in_vietnamese_order(demo):
    nodes = organization_tree(D(2019, 7, 9))
    roots = [n.organization.name for n in nodes if n.depth == 0]
    assert roots.index("Bộ Chỉ huy Quân sự tỉnh Bắc Ninh") < roots.index("Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Bắc Ninh")
    assert roots.index("Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Bắc Ninh") < roots.index("Hội Chữ thập đỏ tỉnh Bắc Ninh")
    i = [n.organization.name for n in nodes].index("Thành ủy Bắc Ninh")
    assert nodes[i + 1].depth == nodes[i].depth + 1


def test_search_ignores_diacritics(demo):
    assert _names(D(2019, 7, 9), q="dan van") == {"Ban Dân vận Thành ủy Bắc Ninh"}
    assert "Ban Chỉ huy Quân sự thành phố Bắc Ninh" in _names(D(2019, 7, 9), q="quan su")
