"""Abstract bases shared by the domain apps (no tables of its own)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from phoihop.core.vietnamese import clean_line, fold, nfc, without_bidi_controls


def normalize_text_fields(instance: models.Model) -> None:
    """Store every text value in NFC, without hidden characters, whatever the keyboard or the
    paste produced (see `normalized_text`)."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, normalized_text(field, value))


def normalized_text(field: models.Field, value: str) -> str:
    """A text value as `save()` stores it in `field` (also for rows written in bulk, which
    `save()` never sees): NFC; a CharField (one line: names, titles, codes) without any
    invisible format character (zero-width, bidi controls, BOM…) and stripped; a TextField
    (several lines: narratives) without the bidi embeddings/overrides/isolates."""
    if isinstance(field, models.CharField):
        return clean_line(value)
    return without_bidi_controls(nfc(value))


class BaseModel(models.Model):
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    # Fields folded into `search_text` (when the model has one).
    search_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        normalize_text_fields(self)
        if self.search_fields and hasattr(self, "search_text"):
            self.search_text = " ".join(fold(str(getattr(self, f) or "")) for f in self.search_fields)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        # Normalised first, so that a required name typed as nothing but hidden characters is
        # "required" for the form, not stored empty.
        normalize_text_fields(self)
        super().clean_fields(exclude)


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date):
        """Rows in force on `day` (valid_from ≤ day ≤ valid_to, open ends allowed)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class Validity(models.Model):
    """valid_from / valid_to, both inclusive; an empty end means still in force."""

    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean_validity(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(
                {"valid_to": _("Ngày kết thúc hiệu lực phải sau hoặc bằng ngày bắt đầu.")}
            )

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )
