"""The access helper of bulletins: the bulletin if it speaks for an org in the user's scope,
else 404. A viewer reads issued bulletins only; drafts are the office's work."""

from taizhang.bulletins.models import Bulletin, BulletinState
from taizhang.params import get_or_404


def readable(user):
    bulletins = Bulletin.objects.visible_to(user)
    return bulletins if user.can_record else bulletins.filter(state=BulletinState.ISSUED)


def get_bulletin(user, pk) -> Bulletin:
    return get_or_404(readable(user).select_related("org", "campaign", "corrects"), pk)
