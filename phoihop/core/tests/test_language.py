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


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_language_menu_names_each_language_in_its_own_name(client, language):
    """An English reader looks for "English", not "Tiếng Anh"; a Vietnamese one for "Tiếng Việt"."""
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get("/").content.decode()
    assert '<option value="vi" lang="vi"' in page and ">Tiếng Việt</option>" in page
    assert '<option value="en" lang="en"' in page and ">English</option>" in page
    assert "Tiếng Anh" not in page and "Vietnamese" not in page
