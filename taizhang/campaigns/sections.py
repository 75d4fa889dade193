"""Sections of a campaign file that another app owns: the study app keeps the required
reading. The app registers how to write its section and how to summarise it for the
campaign's history; `definition.apply` calls both inside its transaction, so the campaigns
app imports nothing above it."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str  # the attribute of `schema.Definition` holding the entries
    # Write the entries for the campaign; return the problems that forbid the load.
    apply: Callable[[object, list], list[str]]
    # What the campaign's history keeps of the section.
    summary: Callable[[object], object]
    # How many there are, for the load command's one-line summary ("5 readings").
    count: Callable[[object], int]


SECTIONS: dict[str, Section] = {}


def register(section: Section):
    SECTIONS[section.key] = section
