"""What kind of file this is, by its content, and whether it is safe to open.

Word and Excel files are zip archives; before anything is unpacked, every member's
declared size, their total and each member's compression ratio are checked against
`Limits` (zipfile never unpacks a member past its declared size, so the declared sizes
bound the work). Then every member is unpacked once to check it is whole (CRC), so a
damaged file is reported as such before any reader opens it. Last, the package's
content types and relationships are checked: no macros, and no links to anything
outside the file except ordinary hyperlinks.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from lxml import etree

from .model import Format, Limits, ReadError

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
MB = 1024 * 1024
# Below this size a member's compression ratio does not matter: it cannot do harm.
RATIO_FROM = MB

HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
EXTERNAL_KINDS = {
    "attachedTemplate": "an attached template",
    "oleObject": "an embedded object",
    "externalLink": "another workbook",
    "externalLinkPath": "another workbook",
    "frame": "a frame",
    "subDocument": "a sub-document",
    "image": "a picture",
    "package": "an embedded file",
}

UNKNOWN = (
    "We cannot read this kind of file. Upload the toolkit as a Word document (.docx), a "
    "PDF, an Excel workbook (.xlsx) or Self-Assess’s own JSON file."
)
DAMAGED = (
    "The file is damaged and cannot be opened. Save it again from Word or Excel and "
    "upload the new copy."
)
LOCKED = (
    "This file is protected with a password, so it cannot be read. Save a copy without "
    "the password and upload that."
)
OLD_OFFICE = (
    "This is an old-style Word or Excel file (.doc or .xls). Save it as a Word Document "
    "(.docx) or an Excel Workbook (.xlsx) and upload that."
)

_SAFE_XML = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)


def megabytes(size: int) -> str:
    return f"{size / MB:,.1f} MB" if size < 10 * MB else f"{size / MB:,.0f} MB"


def sniff(data: bytes, limits: Limits) -> Format:
    """The file's format, from its first bytes; ReadError for files we never read."""
    if not data:
        raise ReadError(["The file is empty."])
    if len(data) > limits.max_bytes:
        raise ReadError(
            [
                f"The file is {megabytes(len(data))}; the largest file we read is "
                f"{megabytes(limits.max_bytes)}."
            ]
        )
    if data.startswith(ZIP_SIGNATURES):
        return office_format(data, limits)
    if data.startswith(OLE_SIGNATURE):
        encrypted = "EncryptedPackage".encode("utf-16-le") in data
        raise ReadError([LOCKED if encrypted else OLD_OFFICE])
    if b"%PDF-" in data[:1024]:
        return "pdf"
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"{\\rtf"):
        raise ReadError(
            ["This is a Rich Text (.rtf) file. Save it as a Word Document (.docx) and upload that."]
        )
    if start.startswith(b"{"):
        return "json"
    return "text"


def office_format(data: bytes, limits: Limits) -> Format:
    """docx or xlsx, after the size and content checks; ReadError otherwise."""
    archive = open_zip(data, limits)
    names = set(archive.namelist())
    if "word/document.xml" in names:
        kind: Format = "docx"
    elif "xl/workbook.xml" in names:
        kind = "xlsx"
    elif "mimetype" in names and b"opendocument" in archive.read("mimetype"):
        raise ReadError(
            [
                "This is an OpenDocument file. Save it as a Word Document (.docx) or an "
                "Excel Workbook (.xlsx) and upload that."
            ]
        )
    else:
        raise ReadError(["This zip file is not a Word document or an Excel workbook."])
    check_package(archive, kind)
    return kind


def open_zip(data: bytes, limits: Limits) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError):
        raise ReadError([DAMAGED]) from None
    if len(members) > limits.max_members:
        raise ReadError(
            [f"The file holds more than {limits.max_members:,} parts; we do not open it."]
        )
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise ReadError([LOCKED])
        total += member.file_size
        ratio = member.file_size / member.compress_size if member.compress_size else None
        too_packed = member.file_size >= RATIO_FROM and (ratio is None or ratio > limits.max_ratio)
        if member.file_size > limits.max_uncompressed or total > limits.max_uncompressed:
            raise ReadError(
                [
                    f"The file would unpack to more than {megabytes(limits.max_uncompressed)}, "
                    "far more than a toolkit needs; we do not open it."
                ]
            )
        if too_packed:
            raise ReadError(
                [
                    f"Part of the file ({member.filename}) is packed far more tightly than a "
                    "real document is; we do not open it."
                ]
            )
    try:
        # Unpack every member once (the limits above bound this) to check it is whole.
        damaged = archive.testzip()
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, OSError, ValueError, EOFError):
        damaged = "?"
    if damaged is not None:
        raise ReadError([DAMAGED])
    return archive


def check_package(archive: zipfile.ZipFile, kind: Format) -> None:
    """No macros, no links to files outside the package (hyperlinks are fine)."""
    save_as = "a Word Document (.docx)" if kind == "docx" else "an Excel Workbook (.xlsx)"
    names = archive.namelist()
    try:
        content_types = archive.read("[Content_Types].xml")
    except (KeyError, zipfile.BadZipFile, OSError, EOFError):
        raise ReadError([DAMAGED]) from None
    if b"macroenabled" in content_types.lower() or any(
        name.lower().endswith(("vbaproject.bin", "vbadata.xml")) for name in names
    ):
        raise ReadError(
            [f"This file contains macros, which we do not open. Save it as {save_as} "
             "and upload that."]
        )
    kinds: list[str] = []
    for name in names:
        if not name.endswith(".rels"):
            continue
        try:
            root = etree.fromstring(archive.read(name), _SAFE_XML)
        except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError):
            raise ReadError([DAMAGED]) from None
        for relationship in root.iter(RELATIONSHIP):
            if relationship.get("TargetMode") != "External":
                continue
            reltype = relationship.get("Type", "")
            if reltype == HYPERLINK:
                continue
            last = reltype.rstrip("/").rsplit("/", 1)[-1]
            kind_name = EXTERNAL_KINDS.get(last, f"“{last}”")
            if kind_name not in kinds:
                kinds.append(kind_name)
    if kinds:
        raise ReadError(
            [
                f"This file links to files outside it ({', '.join(kinds)}), which we do not "
                "open. Remove the links, save it and upload it again."
            ]
        )
