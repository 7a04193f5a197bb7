"""Program sections shown on the pages of apps below programs (organizations does not import
programs: its organisation page asks this tag, which goes through programs' access helpers)."""

from django import template

from phoihop.programs.access import programs_visible_to

register = template.Library()


@register.simple_tag(takes_context=True)
def programs_of_organization(context, organization):
    """The programs the page's user may see in which the organisation is a party, newest first."""
    user = context["request"].user
    return programs_visible_to(user).filter(parties__organization=organization).order_by("-start")
