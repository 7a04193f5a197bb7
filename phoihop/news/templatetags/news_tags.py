from django import template
from django.utils.safestring import mark_safe

from phoihop.news import access
from phoihop.news.sanitize import clean_body

register = template.Library()


@register.filter
def news_html(value: str) -> str:
    """Article HTML, cleaned again at display time (defence in depth: rows written around the
    model, e.g. by SQL, are never trusted)."""
    return mark_safe(clean_body(value))  # noqa: S308 — the allow-list output of nh3


@register.simple_tag(takes_context=True)
def may_write_news(context) -> bool:
    """Whether the page's user may write news somewhere: the 'draft from this event' link on the
    event page of programs (programs does not import news; its template asks this tag)."""
    return access.may_edit_somewhere(context["request"].user)
