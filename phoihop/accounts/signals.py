"""Signal receivers of the accounts app."""

from __future__ import annotations

from phoihop.core.vietnamese import clean_line

# The user model is Django's: its names are not saved through BaseModel.save(), so they are
# cleaned here the same way (NFC, no invisible format characters, no surrounding spaces).
USER_NAME_FIELDS = ("first_name", "last_name")


def clean_user_names(sender, instance, **kwargs) -> None:
    for name in USER_NAME_FIELDS:
        value = getattr(instance, name, None)
        if isinstance(value, str):
            setattr(instance, name, clean_line(value))
