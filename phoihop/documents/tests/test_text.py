"""Cleaning pasted and legacy text before it reaches a document."""

from __future__ import annotations

from phoihop.documents.text import LEGACY, Cleaned, clean, clean_text, looks_legacy


def test_text_is_normalised_to_nfc():
    assert clean("Vie\u0302\u0323t Nam").text == "Việt Nam"


def test_control_zero_width_and_private_use_characters_are_dropped():
    assert clean("A\x00B\x07C\u200bD\u200dE\ufeffF\u00adG\uf0b7H").text == "ABCDEFGH"


def test_word_line_breaks_become_newlines_and_spaces_are_tidied():
    assert clean("Dòng một\x0bDòng\xa0\xa0hai\r\n\r\nDòng  ba\t").text == (
        "Dòng một\nDòng hai\nDòng ba"
    )


def test_none_and_numbers_are_accepted():
    assert clean(None).text == ""
    assert clean(15).text == "15"


def test_pasted_html_keeps_the_words_and_decodes_entities():
    html = ('<html><head><title>x</title><style>p{mso-x:1}</style></head><body>'
            '<p class="MsoNormal">Kết&nbsp;quả <b>tốt</b></p><ul><li>Một</li><li>Hai</li></ul>'
            '<table><tr><td>Ô 1</td><td>Ô 2</td></tr></table></body></html>')
    assert clean(html).text == "Kết quả tốt\nMột\nHai\nÔ 1 Ô 2"


def test_text_with_angle_brackets_that_is_not_html_is_left_alone():
    assert clean("Tỷ lệ a < b và c > d").text == "Tỷ lệ a < b và c > d"


def test_word_style_sheet_leftovers_are_removed():
    pasted = ('Normal 0 false false false VI X-NONE X-NONE MicrosoftInternetExplorer4 '
              '/* Style Definitions */ table.MsoNormalTable {mso-style-name:"Table Normal"; '
              'mso-tstyle-rowband-size:0;} Nội dung thật')
    assert clean(pasted).text == "Nội dung thật"


def test_tcvn3_and_vni_text_is_flagged_as_legacy():
    assert clean("Céng hoµ x· héi chñ nghÜa ViÖt Nam").problem == LEGACY
    assert clean("§¶ng bé thµnh phè B¾c Ninh").problem == LEGACY
    assert clean("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam").problem == LEGACY
    assert clean("Céng hoµ x· héi").text == ""


def test_unicode_vietnamese_with_a_few_symbols_is_not_flagged():
    for text in ("Nhiệt độ 35°C, diện tích 2×3 m², «Bộ đội Cụ Hồ»",
                 "Cộng hòa xã hội chủ nghĩa Việt Nam; Độc lập - Tự do - Hạnh phúc",
                 "Đào tạo ở Pháp, ông Müller và bà Françoise tham dự"):
        assert not looks_legacy(text), text


def test_utf8_read_as_windows_1252_is_repaired():
    garbled = "Cộng hòa xã hội chủ nghĩa Việt Nam".encode().decode("cp1252")
    assert garbled.startswith("Cá»™ng hÃ²a")
    assert clean(garbled) == Cleaned("Cộng hòa xã hội chủ nghĩa Việt Nam")


def test_heavily_garbled_text_is_flagged():
    assert clean("B\ufffd\ufffdo c\ufffdo k\ufffdt qu\ufffd").problem == LEGACY


def test_clean_text_for_storing_keeps_paragraph_breaks_and_legacy_text():
    assert clean_text("<p>Đoạn\u200b một</p>\n\n\n<p>Đoạn&nbsp;hai</p>") == "Đoạn một\n\nĐoạn hai"
    assert clean_text("Một\r\n\r\nHai", keep_blank_lines=False) == "Một\nHai"
    legacy = "Céng hoµ x· héi\x00"
    assert clean_text(legacy) == "Céng hoµ x· héi"
    assert clean_text(None) == ""


def test_html_paragraphs_stay_paragraphs_when_stored():
    assert clean_text("<p>Một</p><p>Hai<br>dòng hai</p>") == "Một\n\nHai\ndòng hai"
