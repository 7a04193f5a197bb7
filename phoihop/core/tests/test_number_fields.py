"""Numbers are typed the Vietnamese way in every form: "45,5" is 45,5 (never 455), "1.200" is
1 200; no page offers <input type=number>, whose browser parsing ignores the locale."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from phoihop.almanac.forms import CommemorationForm, YearThemeForm
from phoihop.core.forms import VietnameseDecimalField, VietnameseIntegerField
from phoihop.reporting.forms import ActivityForm


@pytest.mark.parametrize("typed, value", [("45,5", Decimal("45.5")), ("1.234,5", Decimal("1234.5")),
                                          ("1.200", Decimal("1200")), ("12.5", Decimal("12.5")), (" 7 ", Decimal("7"))])
def test_a_decimal_typed_the_vietnamese_way(typed, value):
    assert VietnameseDecimalField(max_digits=14, decimal_places=2).clean(typed) == value


def test_an_unreadable_number_is_refused_not_guessed():
    with pytest.raises(ValidationError):
        VietnameseDecimalField().clean("45,5,1")
    with pytest.raises(ValidationError):
        VietnameseIntegerField().clean("12,5")
    assert VietnameseIntegerField().clean("1.200") == 1200


@pytest.mark.django_db
def test_the_forms_have_no_type_number_and_show_numbers_the_vietnamese_way():
    for form in (ActivityForm(), CommemorationForm(), YearThemeForm()):
        html = str(form)
        assert 'type="number"' not in html, type(form).__name__
    form = ActivityForm(initial={"funds_spent": Decimal("1234.50"), "participants": 1200})
    html = str(form["funds_spent"]) + str(form["participants"])
    assert 'value="1.234,5"' in html and 'value="1200"' in html and 'inputmode="decimal"' in html
    assert ActivityForm().fields["funds_spent"].to_python("45,5") == Decimal("45.5")
