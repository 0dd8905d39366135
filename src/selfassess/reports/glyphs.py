"""Characters that no installed font can draw, written out in the PDF as their code point.

WeasyPrint draws a character that no font has as an empty box (a font's .notdef glyph),
and the font that carries such a box is embedded with an encoding that some PDF readers
(pypdf among them) cannot decode: they lose the text of the whole page, not just the one
character. So before the PDF is made, each character that no font has is replaced by
its code point in brackets, "[U+1FAE9]": visible, readable and searchable. Word and
Excel carry text, not glyphs, and keep every character as typed.

Which characters the fonts have is asked of fontconfig, which Pango (WeasyPrint's text
layout) asks too when it falls back from the stylesheet's fonts to any installed font:
the union of the character sets of every scalable font, which fontconfig keeps in its
cache, read once per process. Pango draws no bitmap-only font, hence scalable only.
"""

import ctypes
import ctypes.util
import re
from functools import cache

# Characters that Pango draws as nothing at all, with or without a font: Unicode's
# default-ignorable code points (zero-width joiners and spaces, variation selectors such
# as the one that asks for an emoji's colour form, bidirectional marks, soft hyphens,
# tag characters) less those it does not hide (the Hangul fillers U+115F, U+1160 and
# U+FFA0, Mongolian's U+180F and the shorthand format controls U+1BCA0 to U+1BCA3).
# They are kept as typed, or every emoji sequence would be broken up.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u17b4\u17b5\u180b-\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\ufe00-\ufe0f\ufeff\ufff0-\ufff8\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
# Characters that a font may have (DejaVu Sans does) but Pango still draws as a box: the
# line separator and the interlinear annotation marks (found by drawing every character
# that the fonts .ci/run installs have).
_NEVER_DRAWN = frozenset("\u2028\ufff9\ufffa\ufffb")
# Text outside ASCII: ASCII is in every font the reports name.
_NOT_ASCII = re.compile("[^\x00-\x7f]")
_MATCH = 0  # fontconfig's FcResultMatch


class _FontSet(ctypes.Structure):
    _fields_ = [
        ("nfont", ctypes.c_int),
        ("sfont", ctypes.c_int),
        ("fonts", ctypes.POINTER(ctypes.c_void_p)),
    ]


class _Coverage:
    """Every character that at least one installed scalable font has."""

    def __init__(self) -> None:
        fc = ctypes.CDLL(ctypes.util.find_library("fontconfig") or "libfontconfig.so.1")
        fc.FcPatternCreate.restype = ctypes.c_void_p
        fc.FcPatternAddBool.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        fc.FcPatternDestroy.argtypes = [ctypes.c_void_p]
        fc.FcObjectSetBuild.restype = ctypes.c_void_p
        fc.FcObjectSetDestroy.argtypes = [ctypes.c_void_p]
        fc.FcFontList.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
        fc.FcFontList.restype = ctypes.POINTER(_FontSet)
        fc.FcFontSetDestroy.argtypes = [ctypes.POINTER(_FontSet)]
        fc.FcPatternGetCharSet.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.POINTER(ctypes.c_void_p),
        ]
        fc.FcCharSetCreate.restype = ctypes.c_void_p
        fc.FcCharSetMerge.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
        fc.FcCharSetHasChar.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
        self._fc = fc
        self._union = fc.FcCharSetCreate()  # kept for the life of the process

        pattern = fc.FcPatternCreate()
        fc.FcPatternAddBool(pattern, b"scalable", 1)
        wanted = fc.FcObjectSetBuild(b"charset", None)
        fonts = fc.FcFontList(None, pattern, wanted)  # None: the default configuration
        try:
            for font in fonts.contents.fonts[: fonts.contents.nfont]:
                charset = ctypes.c_void_p()
                if fc.FcPatternGetCharSet(font, b"charset", 0, charset) == _MATCH:
                    fc.FcCharSetMerge(self._union, charset, None)
        finally:
            fc.FcFontSetDestroy(fonts)
            fc.FcObjectSetDestroy(wanted)
            fc.FcPatternDestroy(pattern)

    def __contains__(self, char: str) -> bool:
        return bool(self._fc.FcCharSetHasChar(self._union, ord(char)))


@cache
def coverage() -> _Coverage:
    """The installed fonts' characters, read once per process: about 50 ms, most of it
    fontconfig loading its configuration and cache."""
    return _Coverage()


def drawable(char: str) -> bool:
    """Whether the PDF can show this character: a font has it (and Pango uses the font's
    glyph), or Pango shows it as nothing whatever the fonts."""
    if char in _NEVER_DRAWN:
        return False
    return char in coverage() or _INVISIBLE.fullmatch(char) is not None


def code_point(char: str) -> str:
    """What the PDF shows in place of a character no font has, e.g. "[U+1FAE9]"."""
    return f"[U+{ord(char):04X}]"


def printable(text: str) -> str:
    """The text with every character that no installed font has replaced by its code
    point; all other text, markup included, unchanged."""
    missing = {c for c in set(_NOT_ASCII.findall(text)) if not drawable(c)}
    if not missing:
        return text
    pattern = "[" + "".join(re.escape(c) for c in sorted(missing)) + "]"
    return re.sub(pattern, lambda m: code_point(m.group()), text)
