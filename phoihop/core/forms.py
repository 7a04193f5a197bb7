"""Form fields for numbers typed the Vietnamese way ("1.234,5"). No number field of the product
uses <input type=number>: a browser in another locale reads "45,5" as 455 or throws it away."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from phoihop.core.formatting import number_vi
from phoihop.core.vietnamese import number_text


class VietnameseNumberInput(forms.TextInput):
    """A text box with the phone's number keyboard; a stored number shown as 1.234,5."""

    def __init__(self, attrs=None, grouping: bool = True):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})
        self.grouping = grouping

    def format_value(self, value):
        if isinstance(value, (int, Decimal, float)) and not isinstance(value, bool):
            return number_vi(value) if self.grouping else str(value)
        return super().format_value(value)


class VietnameseDecimalField(forms.DecimalField):
    widget = VietnameseNumberInput

    def to_python(self, value):
        return super().to_python(number_text(value.strip()) if isinstance(value, str) else value)


class VietnameseIntegerField(forms.IntegerField):
    """A count ("1.200"), or with grouping=False a day, month or year ("1957")."""

    widget = VietnameseNumberInput

    def __init__(self, *args, grouping: bool = True, **kwargs):
        kwargs.setdefault("widget", VietnameseNumberInput(grouping=grouping))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return super().to_python(number_text(value.strip()) if isinstance(value, str) else value)


def vietnamese_number_field(model_field, **kwargs):
    """`formfield_callback` for ModelForms: numeric model fields become the fields above."""
    from django.db import models

    if isinstance(model_field, models.DecimalField):
        return model_field.formfield(form_class=VietnameseDecimalField, **kwargs)
    if isinstance(model_field, models.IntegerField) and not model_field.choices:
        # Shown without grouping (a year reads 1957, not 1.957); typed "1.200" still reads 1200.
        return model_field.formfield(form_class=VietnameseIntegerField, grouping=False, **kwargs)
    return model_field.formfield(**kwargs)
