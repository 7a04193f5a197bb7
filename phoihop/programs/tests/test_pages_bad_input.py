import pytest

from phoihop.factories import ProgramFactory


@pytest.mark.django_db
def test_an_impossible_as_of_date_gets_a_vietnamese_message(client, viewer):
    client.force_login(viewer)
    response = client.get("/to-chuc/?as_of=31/02/2020")
    assert response.status_code == 200
    assert "Ngày không hợp lệ" in response.content.decode()


@pytest.mark.django_db
def test_admin_refuses_a_program_succeeding_itself(client, sysadmin):
    program = ProgramFactory(code="ct-a", title="Chương trình A")
    client.force_login(sysadmin)
    url = f"/quan-tri/programs/program/{program.pk}/change/"
    form = {
        "code": "ct-a", "title": "Chương trình A", "kind": "program", "start": "09/07/2019", "end": "31/12/2023",
        "predecessors": [program.pk],
        "parties-TOTAL_FORMS": 0, "parties-INITIAL_FORMS": 0,
        "responsibilities-TOTAL_FORMS": 0, "responsibilities-INITIAL_FORMS": 0,
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "không thể kế tiếp chính nó" in response.content.decode()
    assert program.predecessors.count() == 0


@pytest.mark.django_db
def test_admin_refuses_an_end_before_the_start(client, sysadmin):
    program = ProgramFactory(code="ct-b", title="Chương trình B")
    client.force_login(sysadmin)
    form = {
        "code": "ct-b", "title": "Chương trình B", "kind": "program", "start": "09/07/2019", "end": "01/01/2019",
        "parties-TOTAL_FORMS": 0, "parties-INITIAL_FORMS": 0,
        "responsibilities-TOTAL_FORMS": 0, "responsibilities-INITIAL_FORMS": 0,
    }
    response = client.post(f"/quan-tri/programs/program/{program.pk}/change/", form)
    assert "phải sau ngày bắt đầu" in response.content.decode()
    program.refresh_from_db()
    assert program.end.year == 2023
