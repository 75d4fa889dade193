"""Password rules with messages in Taizhang's own catalogue: Django's Chinese catalogue
lacks the minimum-length message, which then appeared in English on the Chinese interface."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "This password is too short: it needs at least %(n)d character.",
            "This password is too short: it needs at least %(n)d characters.",
            self.min_length,
        ) % {"n": self.min_length}

    def get_help_text(self):
        return ngettext(
            "At least %(n)d character.", "At least %(n)d characters.", self.min_length
        ) % {"n": self.min_length}
