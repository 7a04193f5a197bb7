import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from phoihop.factories import OrganizationFactory, ParentLinkFactory, UnitFactory
from phoihop.organizations.models import OrganizationParent, OrganizationSuccession


@pytest.mark.django_db
def test_validity_ending_before_it_starts_is_refused():
    org = OrganizationFactory(valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2019, 1, 1))
    with pytest.raises(ValidationError) as err:
        org.full_clean()
    assert "Ngày kết thúc hiệu lực" in str(err.value)


@pytest.mark.django_db
def test_a_unit_cannot_become_its_own_ancestor():
    province = UnitFactory(name="Tỉnh Thử", level="province")
    city = UnitFactory(name="Thành phố Thử", level="city", parent=province)
    province.parent = city
    with pytest.raises(ValidationError) as err:
        province.full_clean()
    assert "chính nó" in str(err.value)


@pytest.mark.django_db
def test_an_organisation_parent_link_cannot_make_a_cycle():
    a, b = OrganizationFactory(), OrganizationFactory()
    ParentLinkFactory(child=b, parent=a)
    link = OrganizationParent(child=a, parent=b)
    with pytest.raises(ValidationError) as err:
        link.full_clean()
    assert "chính nó" in str(err.value)


@pytest.mark.django_db
def test_overlapping_parent_links_are_refused():
    child, p1, p2 = OrganizationFactory(), OrganizationFactory(), OrganizationFactory()
    ParentLinkFactory(child=child, parent=p1, valid_to=dt.date(2025, 6, 30))
    ok = OrganizationParent(child=child, parent=p2, valid_from=dt.date(2025, 7, 1))
    ok.full_clean()
    clash = OrganizationParent(child=child, parent=p2, valid_from=dt.date(2025, 6, 1))
    with pytest.raises(ValidationError):
        clash.full_clean()


@pytest.mark.django_db
def test_an_organisation_cannot_succeed_itself_even_bypassing_forms():
    org = OrganizationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationSuccession.objects.create(predecessor=org, successor=org, kind="renamed", effective=dt.date(2025, 7, 1))
