"""What may be uploaded anywhere in motcua: the type is read from the content, never the name.

A file called ``giay-to.pdf`` that is really a program or a web page is
refused with a message saying so; an accepted file is stored under a name
of our own with the extension of what it really is, so nothing a person
names reaches a disk path or a browser's idea of the content type. The
citizen's online submission uses the limits from settings
(``MOTCUA_UPLOAD_*``, see ``.env.example``); staff screens and PAKN pass
their own :class:`UploadLimits` (e.g. :func:`limits_of`).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.core.exceptions import ValidationFailed

MB = 1024 * 1024
_HEAD = 2048


@dataclass(frozen=True)
class FileKind:
    """An accepted format: its key in settings, its name for people, its stored extension."""

    key: str
    label: str
    extension: str
    content_type: str


KINDS: dict[str, FileKind] = {
    kind.key: kind
    for kind in (
        FileKind("pdf", "PDF", "pdf", "application/pdf"),
        FileKind("jpeg", "JPEG", "jpg", "image/jpeg"),
        FileKind("png", "PNG", "png", "image/png"),
        FileKind(
            "docx",
            "Word (DOCX)",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        FileKind(
            "xlsx",
            "Excel (XLSX)",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        # Word and Excel 97–2003 share one container (OLE); the name tells which.
        FileKind("office97", "Word, Excel 97–2003", "doc", "application/msword"),
    )
}
# Extensions a name may claim, to say "named .pdf but is not a PDF".
_CLAIMED = {
    "pdf": "pdf",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "png": "png",
    "docx": "docx",
    "xlsx": "xlsx",
    "doc": "office97",
    "xls": "office97",
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class UploadLimits:
    max_file_bytes: int
    max_total_bytes: int
    kinds: tuple[str, ...]

    @property
    def accept(self) -> str:
        """The ``accept`` attribute of a file input: a hint for the picker, not a check."""
        return ",".join(
            "." + ext
            for key in self.kinds
            for ext in (["jpg", "jpeg"] if key == "jpeg" else [KINDS[key].extension])
        )

    @property
    def labels(self) -> str:
        return ", ".join(KINDS[key].label for key in self.kinds)


def upload_limits() -> UploadLimits:
    """The limits in force: settings ``MOTCUA_UPLOAD_MAX_FILE_MB``, ``…_TOTAL_MB``, ``…_TYPES``."""
    kinds = tuple(
        key for key in (k.strip().lower() for k in settings.MOTCUA_UPLOAD_TYPES) if key in KINDS
    )
    return UploadLimits(
        max_file_bytes=int(settings.MOTCUA_UPLOAD_MAX_FILE_MB) * MB,
        max_total_bytes=int(settings.MOTCUA_UPLOAD_MAX_TOTAL_MB) * MB,
        kinds=kinds or ("pdf", "jpeg", "png"),
    )


def limits_of(*, max_mb: int, kinds: tuple[str, ...], max_files: int = 1) -> UploadLimits:
    """Limits for one screen: ``max_mb`` a file, ``kinds`` (keys of :data:`KINDS`)."""
    return UploadLimits(
        max_file_bytes=max_mb * MB, max_total_bytes=max_mb * MB * max_files, kinds=kinds
    )


def size_label(size: int) -> str:
    """ "2,5 MB", "300 KB" — for messages."""
    if size >= MB:
        return ("%.1f MB" % (size / MB)).replace(".0 MB", " MB").replace(".", ",")
    return "%d KB" % max(1, round(size / 1024))  # noqa: UP031


def _read_head(stream: IO[bytes]) -> bytes:
    stream.seek(0)
    head = stream.read(_HEAD)
    stream.seek(0)
    return head


def _office_open_xml(stream: IO[bytes]) -> str | None:
    """``docx`` or ``xlsx`` when the zip really is that document, else ``None``."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        stream.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def _image_readable(stream: IO[bytes]) -> bool:
    # Pillow checks the structure without decoding the pixels (no
    # decompression-bomb cost); a file that merely starts with the right
    # bytes fails here.
    from PIL import Image

    try:
        with Image.open(stream) as image:
            image.verify()
    except Exception:  # Pillow raises many types for broken files
        return False
    finally:
        stream.seek(0)
    return True


def detect_kind(stream: IO[bytes]) -> str | None:
    """The format the content really is (a key of :data:`KINDS`), or ``None``."""
    head = _read_head(stream)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg" if _image_readable(stream) else None
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png" if _image_readable(stream) else None
    if head.startswith(b"PK\x03\x04"):
        return _office_open_xml(stream)
    if head.startswith(_OLE):
        return "office97"
    return None


def _claimed_kind(name: str) -> str | None:
    _stem, dot, extension = name.rpartition(".")
    return _CLAIMED.get(extension.lower()) if dot else None


def upload_check(upload: Any, *, limits: UploadLimits | None = None) -> str:
    """Check one uploaded file; its real format, or :class:`ValidationFailed` with why not."""
    limits = limits or upload_limits()
    name = str(getattr(upload, "name", "") or _("(không tên)"))[-120:]
    size = int(getattr(upload, "size", 0) or 0)
    if size <= 0:
        raise ValidationFailed(
            _("Tệp “%(name)s” rỗng, vui lòng chọn lại.") % {"name": name}, code="upload_empty"
        )
    if size > limits.max_file_bytes:
        raise ValidationFailed(
            _(
                "Tệp “%(name)s” có dung lượng %(size)s, vượt quá mức tối đa %(limit)s cho mỗi "
                "tệp. Vui lòng quét lại với độ phân giải thấp hơn hoặc chia thành nhiều tệp."
            )
            % {
                "name": name,
                "size": size_label(size),
                "limit": size_label(limits.max_file_bytes),
            },
            code="upload_too_large",
        )
    kind = detect_kind(upload)
    if kind is not None and kind in limits.kinds:
        return kind
    claimed = _claimed_kind(name)
    if claimed is not None and claimed != kind:
        raise ValidationFailed(
            _(
                "Tệp “%(name)s” có tên đuôi .%(extension)s nhưng nội dung không phải là tệp "
                "%(label)s. Vui lòng chọn đúng bản chụp hoặc bản quét giấy tờ."
            )
            % {
                "name": name,
                "extension": name.rpartition(".")[2].lower(),
                "label": KINDS[claimed].label,
            },
            code="upload_disguised",
        )
    raise ValidationFailed(
        _("Tệp “%(name)s” không đúng định dạng được chấp nhận (%(allowed)s).")
        % {"name": name, "allowed": limits.labels},
        code="upload_type_refused",
    )


def name_by_content(upload: Any, kind: str) -> None:
    """Give ``upload`` the extension of what it really is (``ket-qua.exe`` holding a PDF is
    kept as ``ket-qua.pdf``), so the stored name never lies about the content."""
    stem = str(getattr(upload, "name", "") or "tep").rsplit("/", 1)[-1].rpartition(".")[0]
    upload.name = f"{(stem or 'tep')[:100]}.{KINDS[kind].extension}"


def total_check(sizes: list[int], *, limits: UploadLimits | None = None) -> None:
    """All the files of one submission together stay under the total limit."""
    limits = limits or upload_limits()
    total = sum(sizes)
    if total > limits.max_total_bytes:
        raise ValidationFailed(
            _("Tổng dung lượng các tệp (%(size)s) vượt quá mức tối đa %(limit)s cho một hồ sơ.")
            % {"size": size_label(total), "limit": size_label(limits.max_total_bytes)},
            code="upload_total_too_large",
        )


def stored_name(*, position: int, kind: str) -> str:
    """The name a submitted component is stored under: ours, with its real format's extension."""
    return "thanh-phan-%d.%s" % (position, KINDS[kind].extension)  # noqa: UP031
