"""A constraint the database enforces is explained to the user in their language: every
check constraint carries a message, and none names the constraint itself."""

from django.apps import apps
from django.db.models import CheckConstraint, UniqueConstraint
from django.test import SimpleTestCase
from django.utils import translation


class ConstraintMessageTests(SimpleTestCase):
    def constraints(self):
        for model in apps.get_models():
            if not model.__module__.startswith("taizhang."):
                continue
            for constraint in model._meta.constraints:
                yield model, constraint

    def test_every_check_constraint_has_a_message_in_chinese(self):
        checked = 0
        for model, constraint in self.constraints():
            explained = isinstance(constraint, CheckConstraint) or (
                isinstance(constraint, UniqueConstraint) and not constraint.fields
            )
            if not explained:
                continue  # a unique constraint over fields names them itself
            checked += 1
            with self.subTest(model=model.__name__, constraint=constraint.name):
                message = constraint.get_violation_error_message()
                self.assertNotIn(constraint.name, message)
                with translation.override("zh-hans"):
                    chinese = str(constraint.violation_error_message)
                self.assertNotIn(constraint.name, chinese)
                self.assertTrue(any("\u4e00" <= ch <= "\u9fff" for ch in chinese), chinese)
        self.assertGreater(checked, 15)
