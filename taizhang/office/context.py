def inbox(request):
    """The unread notices of the user's org, for the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.org_id is None:
        return {}
    from taizhang.office.models import Receipt

    return {
        "inbox_unread": Receipt.objects.filter(org_id=user.org_id, read_at__isnull=True).count()
    }
