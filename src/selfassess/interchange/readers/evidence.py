"""Evidence as paragraphs, and the bare web addresses taken out of it."""

from __future__ import annotations

import re

# A web address written out in full or starting "www.", up to the next space.
_ADDRESS = re.compile(r"(?i)(?<![\w@/])(?:https?://|www\.)[^\s<>\"“”‘’]+")
_TRAILING = ".,;:!?'\"”’>]}"
_SPACES = re.compile(r"[^\S\n]+")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]|<\s*>")


def tidy(text: str) -> str:
    """One paragraph with its spacing tidied: runs of spaces (including no-break and tab)
    become one space, each line is trimmed, empty lines go."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a text where a blank line separates paragraphs (an Excel cell, the
    product's own evidence); a single line break stays inside its paragraph."""
    parts = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [p for p in (tidy(part) for part in parts) if p]


def _address_end(address: str) -> str:
    """The address without punctuation that belongs to the sentence around it."""
    while address and address[-1] in _TRAILING + ")":
        if address[-1] == ")" and address.count("(") >= address.count(")"):
            break
        address = address[:-1]
    return address


def take_links(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """Move bare web addresses out of the paragraphs: (paragraphs left, addresses).

    An address starting "www." is given "https://". A paragraph that was only an address
    goes; brackets left empty go too."""
    kept: list[str] = []
    links: list[str] = []
    for paragraph in paragraphs:
        pieces = []
        position = 0
        for found in _ADDRESS.finditer(paragraph):
            address = _address_end(found.group())
            if len(address) < 8:
                continue
            pieces.append(paragraph[position : found.start()])
            position = found.start() + len(address)
            link = address if "://" in address else f"https://{address}"
            if link not in links:
                links.append(link)
        pieces.append(paragraph[position:])
        joined = pieces[0]
        for piece in pieces[1:]:
            # "see https://x.org." leaves "see ." : the full stop goes back to the word.
            joined = (joined.rstrip() if piece[:1] in ".,;:!?" else joined) + piece
        left = tidy(_EMPTY_BRACKETS.sub("", joined))
        if left:
            kept.append(left)
    return kept, links


def add_links(links: list[str], more: list[str]) -> None:
    """Add web addresses (from a document's hyperlinks) not already in links."""
    for link in more:
        if link.lower().startswith(("http://", "https://")) and link not in links:
            links.append(link)


def join_text(before: str, after: str) -> str:
    """Join two pieces of one paragraph that a line or page break separated: no space
    after a hyphen that ends a word ("community-" + "safety"), one space otherwise."""
    if not before:
        return after
    if not after:
        return before
    if before.endswith("-") and len(before) > 1 and before[-2].isalnum():
        return before + after
    return f"{before} {after}"
