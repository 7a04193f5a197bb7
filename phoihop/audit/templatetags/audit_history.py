from django import template

from phoihop.audit.presenting import present

register = template.Library()


@register.filter
def presented(entries):
    """Audit entries with their changes as human lines (see phoihop.audit.presenting)."""
    return present(entries or [])
