"""A statement's guidance, as a toolkit version may carry it (docs/formats.md): what a
middling and a top score typically look like, evidence a committee would accept, and
suggested actions, each for the starting scores it suits.

The guidance is stored as loaded, in `Statement.guidance` (an empty dict for a toolkit
without it); this module reads it. Each suggested action has a `key`, the slug of its
title, unique within its toolkit version (the loader refuses a file where two titles
make the same key), so a decision about a suggestion can name it in an address and in
the database.
"""

from dataclasses import dataclass

from django.utils.text import slugify

from .models import Statement

# The key of the one general suggestion a statement gets when its toolkit version has no
# suggested actions for it (plans.selectors). No title may make it.
GENERAL_KEY = "general"


def action_key(title: str) -> str:
    """The key of a suggested action: the slug of its title ("" if it has no letters or
    digits at all)."""
    return slugify(title)


@dataclass(frozen=True)
class GuidedAction:
    key: str
    title: str
    description: str
    lead: str
    partners: str
    scores: tuple[int, ...]


def guided_actions(statement: Statement) -> list[GuidedAction]:
    """The statement's suggested actions, in the toolkit's order (none without guidance)."""
    return [
        GuidedAction(
            key=action_key(a["title"]),
            title=a["title"],
            description=a["description"],
            lead=a["lead"],
            partners=a["partners"],
            scores=tuple(a["scores"]),
        )
        for a in (statement.guidance or {}).get("actions", [])
    ]
