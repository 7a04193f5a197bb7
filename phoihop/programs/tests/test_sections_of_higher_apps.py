"""Sections that pages of lower apps show for higher ones through template tags (the layers of
docs/adr/0007-layers.md): programs' event page asks news whether to offer 'draft from this
event'; organizations' page lists the programs of the organisation through programs' access."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_event_page_offers_a_news_draft_to_an_editor_only(client, manager, viewer, private_event):
    link = f"/tin-tuc/soan/tu-su-kien/{private_event.pk}/"
    client.force_login(manager)
    assert link in client.get(f"/chuong-trinh/su-kien/{private_event.pk}/").content.decode()
    client.force_login(viewer)
    page = client.get(f"/chuong-trinh/su-kien/{private_event.pk}/")
    assert page.status_code == 200
    assert link not in page.content.decode()


def test_the_organisation_page_lists_only_the_programs_its_reader_may_see(client, viewer, outsider, org_a, draft_program):
    client.force_login(viewer)
    assert draft_program.title in client.get(f"/to-chuc/{org_a.pk}/").content.decode()
    client.force_login(outsider)
    page = client.get(f"/to-chuc/{org_a.pk}/")
    assert page.status_code == 200
    assert draft_program.title not in page.content.decode()
