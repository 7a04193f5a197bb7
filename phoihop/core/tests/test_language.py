import pytest


@pytest.mark.django_db
def test_pages_are_vietnamese_even_for_an_english_browser(client, viewer):
    client.force_login(viewer)
    response = client.get("/chuong-trinh/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "vi"
    assert "Chương trình phối hợp" in response.content.decode()


@pytest.mark.django_db
def test_the_language_menu_switches_to_english(client, viewer):
    client.force_login(viewer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/chuong-trinh/")
    assert response.headers["Content-Language"] == "en"
    assert "Coordination programs" in response.content.decode()
