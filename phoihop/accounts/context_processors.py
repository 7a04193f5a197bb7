from phoihop.accounts.models import Membership


def memberships(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {
        "my_memberships": Membership.objects.filter(user=user).select_related("organization"),
    }
