"""factory_boy factories shared by every app's tests (test-only; needs the `test` extra)."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from phoihop.accounts.models import Membership
from phoihop.organizations.models import (
    AdministrativeUnit,
    Organization,
    OrganizationParent,
    Person,
)
from phoihop.programs.models import Event, Program, ProgramParty


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit

    name = factory.Sequence(lambda n: f"Phường Thử {n}")
    level = AdministrativeUnit.Level.WARD


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Hội Thử nghiệm {n}")
    short_name = factory.Sequence(lambda n: f"HTN{n}")
    kind = Organization.Kind.SOCIO_POLITICAL


class ParentLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationParent

    child = factory.SubFactory(OrganizationFactory)
    parent = factory.SubFactory(OrganizationFactory)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    is_demo = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "mat-khau-thu-1")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "viewer"


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    code = factory.Sequence(lambda n: f"ct-thu-{n}")
    title = factory.Sequence(lambda n: f"Chương trình phối hợp thử {n}")
    start = dt.date(2019, 7, 9)
    end = dt.date(2023, 12, 31)


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramParty

    program = factory.SubFactory(ProgramFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "member"


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    kind = Event.Kind.MEETING
    title = factory.Sequence(lambda n: f"Giao ban thử {n}")
    starts_at = factory.LazyFunction(lambda: dt.datetime(2019, 7, 9, 14, 0, tzinfo=dt.UTC))
