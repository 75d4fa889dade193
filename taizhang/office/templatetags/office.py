from django import template

register = template.Library()


@register.simple_tag
def inbox_of(user, n=5):
    """The newest notices sent to the user's own org (for the home page)."""
    from taizhang.office.models import Receipt

    if not user.is_authenticated or user.org_id is None:
        return []
    return list(
        Receipt.objects.filter(org_id=user.org_id)
        .select_related("notice__sender")
        .order_by("-notice__sent_at", "-id")[:n]
    )
