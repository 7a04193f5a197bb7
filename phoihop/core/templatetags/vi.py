from django import template
from django.utils.translation import get_language_info

from phoihop.core.calendar_names import month_short
from phoihop.core.formatting import doc_date, number_vi, short_date
from phoihop.core.vietnamese import lower_first as _lower_first
from phoihop.core.vietnamese import nfc

register = template.Library()


@register.filter
def vi_number(value, decimals=None):
    return number_vi(value, decimals)


@register.filter
def vi_date(value):
    return short_date(value)


@register.filter
def vi_doc_date(value):
    return doc_date(value) if value else ""


@register.filter
def own_language_name(code: str) -> str:
    """A language in its own name, whatever the page's language ("English", "Tiếng Việt" — never
    "Tiếng Anh"), in NFC (Django's table spells Vietnamese decomposed)."""
    return nfc(get_language_info(code)["name_local"])


@register.filter
def short_month(month: int) -> str:
    """A month number as a narrow column header: 'T12' ('Dec' in English)."""
    return month_short(int(month))


@register.filter
def lower_first(text) -> str:
    """A label put inside a sentence: only its first letter lowered (core.vietnamese.lower_first),
    never the whole text as Django's `|lower` does to the proper nouns it may hold."""
    return _lower_first(str(text))
