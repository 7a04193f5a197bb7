from django import template

from phoihop.core.formatting import doc_date, number_vi, short_date

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
