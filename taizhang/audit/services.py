"""Writing the change history. Every service that changes data calls `record` (or
`record_many`) in its own transaction, so imports and commands are logged like web edits."""

from dataclasses import dataclass

from taizhang import bulk
from taizhang.audit.models import Action, Change, Channel


@dataclass(frozen=True)
class Actor:
    """Who makes a change and through which channel. `user` is None for system jobs."""

    user: object | None
    channel: str = Channel.WEB
    name: str = ""
    token: str = ""  # the name of the API token used, if any

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        if self.user is not None:
            return self.user.get_username()
        return "system"

    @classmethod
    def web(cls, user):
        return cls(user=user, channel=Channel.WEB)

    @classmethod
    def api(cls, user, token=None):
        """A change through the API, by `user` with the token named (None: signed in)."""
        return cls(user=user, channel=Channel.API, token=token.name if token else "")

    @classmethod
    def cli(cls, name="command line", user=None):
        return cls(user=user, channel=Channel.CLI, name=name)


def _change(actor, action, obj, before, after, scope_path, note=""):
    return Change(
        actor=actor.user,
        actor_name=actor.label[:150],
        channel=actor.channel,
        action=action,
        model=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        scope_path=scope_path,
        before=before,
        after=after,
        note=note[:200],
        token_name=actor.token[:100],
    )


def record(actor: Actor, action: str, obj, *, before=None, after=None, scope_path="", note=""):
    """Write one change. The object's earlier changes take the same scope path: history is
    scoped by where its object is now (an activity moved to another org takes its past
    with it), never by where it once was."""
    change = _change(actor, action, obj, before, after, scope_path, note)
    change.save()
    Change.objects.of(obj).exclude(scope_path=scope_path).update(scope_path=scope_path)
    return change


def record_many(actor: Actor, entries):
    """entries: (action, obj, before, after, scope_path) tuples, written at once."""
    record_rows(
        actor,
        ((a, o._meta.label_lower, o.pk, str(o), b, af, p) for a, o, b, af, p in entries),
    )


def record_rows(actor: Actor, entries):
    """Like record_many, for large writes that have no model instances at hand:
    entries are (action, model label, object id, object repr, before, after, scope_path)."""
    actor_id, name, channel, token = (
        actor.user.pk if actor.user is not None else None,
        actor.label[:150],
        actor.channel,
        actor.token[:100],
    )
    bulk.insert(
        Change,
        CHANGE_COLUMNS,
        [
            (
                actor_id,
                name,
                channel,
                token,
                action,
                label,
                str(pk),
                text[:200],
                before,
                after,
                path,
            )
            for action, label, pk, text, before, after, path in entries
        ],
    )


CHANGE_COLUMNS = [
    "actor_id",
    "actor_name",
    "channel",
    "token_name",
    "action",
    "model",
    "object_id",
    "object_repr",
    "before",
    "after",
    "scope_path",
]


__all__ = ["Action", "Actor", "Channel", "record", "record_many"]
