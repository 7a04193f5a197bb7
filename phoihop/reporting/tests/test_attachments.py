"""Attachments are checked by what the whole file is (issue 12): `core.uploads`.

The crafted files live in the bad-file corpus (phoihop/hardening/corpus, ATTACHMENT_CASES), where
`test_bad_files.py` also sends each of them through the activity page; here each one meets the
checker itself, and real files of every allowed type are accepted with their verified type.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from phoihop.core.uploads import check_attachment
from phoihop.hardening.corpus import ATTACHMENT_CASES, VALID_ATTACHMENTS, real_pdf


@pytest.mark.parametrize("case", sorted(VALID_ATTACHMENTS))
def test_a_real_file_of_each_allowed_type_is_accepted(case):
    name, build, content_type = VALID_ATTACHMENTS[case]
    upload = SimpleUploadedFile(name, build(), content_type="text/html")  # what the browser declares does not count
    assert check_attachment(upload).content_type == content_type
    assert upload.read(5) == build()[:5]  # left at the start, ready to be stored


@pytest.mark.parametrize("case", sorted(ATTACHMENT_CASES))
def test_each_crafted_file_is_refused_with_its_reason(case):
    name, build, expected = ATTACHMENT_CASES[case]
    with pytest.raises(ValidationError) as refused:
        check_attachment(SimpleUploadedFile(name, build()))
    assert expected in " ".join(refused.value.messages), (case, refused.value.messages)


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="Tệp trống"):
        check_attachment(SimpleUploadedFile("bien-ban.pdf", b""))


def test_a_pdf_with_an_incremental_update_is_accepted():
    """Readers follow the last `startxref`; an updated PDF has two of them."""
    first = real_pdf()
    update = b"4 0 obj\n<< /Producer (Phoi Hop) >>\nendobj\n"
    xref = len(first) + len(update)
    second = first + update + f"xref\n4 1\n{len(first):010d} 00000 n \ntrailer\n<< /Size 5 /Root 1 0 R /Prev 0 >>\nstartxref\n{xref}\n%%EOF\n".encode()
    assert check_attachment(SimpleUploadedFile("bien-ban.pdf", second)).content_type == "application/pdf"


def test_the_size_limit_is_a_setting(settings):
    settings.PHOIHOP_MAX_ATTACHMENT_BYTES = 100
    with pytest.raises(ValidationError, match="Tệp quá lớn"):
        check_attachment(SimpleUploadedFile("bien-ban.pdf", real_pdf()))
