"""Evidence files: the checks every upload passes, storage, deletion and reads.

An upload is refused, and nothing is stored (no row, no file), when any check fails,
in this order (docs/achievements-and-evidence.md):

1. the applicant may change the declaration's material now (draft or returned);
2. the purpose fits: an achievement's file has one of its kind's purposes (R8.6); a file
   of the declaration itself is a shared-data item (R5.4) or a route document (R4.4, R4.6);
3. the name is not only a path (a name's path parts are dropped; it is kept for display
   only, the file is stored under a generated name);
4. not empty, and not over ``EVIDENCE_MAX_FILE_BYTES``;
5. the type detected from the content, never from the name: PDF, JPEG or PNG;
6. a PDF has no JavaScript or launch action (``/JavaScript``, ``/JS``, ``/Launch``, also
   inside compressed streams and with ``#xx`` escapes in the name);
7. the scanner of ``EVIDENCE_SCANNER`` accepts it (default: accepts everything);
8. the declaration's files stay within ``EVIDENCE_MAX_DECLARATION_BYTES``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.http import Http404
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import ServiceError
from core.services import audit_record
from declarations.achievements import lock_for_material
from declarations.enums import DECLARATION_PURPOSES, EvidencePurpose, achievement_purposes
from declarations.models import Achievement, Declaration, Evidence
from declarations.selectors import declaration_get_for_user

ORIGINAL_NAME_MAX = 120


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    label: str


# The only types accepted, by their leading bytes ("magic numbers").
SIGNATURES: tuple[tuple[bytes, FileType], ...] = (
    (b"%PDF-", FileType("application/pdf", "pdf", "PDF")),
    (b"\xff\xd8\xff", FileType("image/jpeg", "jpg", "JPEG")),
    (b"\x89PNG\r\n\x1a\n", FileType("image/png", "png", "PNG")),
)
# Executables, named so the refusal can say what the file is.
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")

# PDF names that run code or programs when the file is opened.
PDF_ACTIVE_NAMES = frozenset({b"JavaScript", b"JS", b"Launch"})
# A PDF name: "/" then regular characters (ISO 32000-1, 7.2.2 and 7.3.5).
_PDF_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]+)")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
# Decompress at most this much of a PDF's streams when looking for active content, so
# that a compression bomb cannot exhaust memory.
PDF_INFLATE_BUDGET = 50 * 1024 * 1024

Scanner = Callable[..., str | None]


def accept_all(data: bytes, *, content_type: str, name: str) -> str | None:
    """The default scanner: accepts every file (no virus scanner configured).

    A scanner takes the file's bytes and returns None to accept it, or the reason to
    refuse it, in the person's language. Point ``EVIDENCE_SCANNER`` at another callable
    (for example one that asks a ClamAV daemon) to scan uploads.
    """
    return None


def _size_label(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} B"


def clean_original_name(name: str | None) -> str:
    """The uploader's file name, for display only (the file is stored under a generated name).

    Refuses (``evidence_name_invalid``) an empty name and any name with path parts
    (``../``, ``/``, ``\\``): browsers send a bare file name, so a path can only come
    from a hostile client.
    """
    if "/" in (name or "") or "\\" in (name or ""):
        raise ServiceError(
            "evidence_name_invalid",
            _("文件名不能包含路径（如“../”“/”“\\”），请使用普通文件名后再上传。"),
            field="file",
        )
    raw = name or ""
    shown = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C").strip()
    if shown in {"", ".", ".."}:
        raise ServiceError(
            "evidence_name_invalid",
            _("文件名无效：文件名只有路径，没有文件名。请选择一个文件后再上传。"),
            field="file",
        )
    if len(shown) > ORIGINAL_NAME_MAX:
        stem, dot, ext = shown.rpartition(".")
        keep = ORIGINAL_NAME_MAX - len(ext) - 1 if dot and len(ext) <= 10 else ORIGINAL_NAME_MAX
        shown = (stem[:keep] + "." + ext) if dot and len(ext) <= 10 else shown[:keep]
    return shown


def detect_type(head: bytes) -> FileType | None:
    """The accepted type the content starts with, or None."""
    for magic, file_type in SIGNATURES:
        if head.startswith(magic):
            return file_type
    return None


def _names_in(data: bytes) -> Iterable[bytes]:
    for match in _PDF_NAME.finditer(data):
        yield _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))


def pdf_active_content(data: bytes) -> str | None:
    """The first name of active content in a PDF (``JavaScript``, ``JS``, ``Launch``), or None.

    Looks at the file as stored and inside its Flate-compressed streams (where object
    streams may hide dictionaries), decompressing at most ``PDF_INFLATE_BUDGET`` bytes.
    """
    for name in _names_in(data):
        if name in PDF_ACTIVE_NAMES:
            return name.decode("ascii")
    budget = PDF_INFLATE_BUDGET
    for match in _PDF_STREAM.finditer(data):
        if budget <= 0:
            break
        try:
            inflated = zlib.decompressobj().decompress(match.group(1), budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        for name in _names_in(inflated):
            if name in PDF_ACTIVE_NAMES:
                return name.decode("ascii")
    return None


def _read_limited(uploaded: File, limit: int) -> bytes:
    """Read the whole file, refusing it as soon as it is larger than ``limit``."""
    too_large = ServiceError(
        "evidence_too_large",
        _("文件大小超过单个文件上限%(limit)s，请压缩后再上传。") % {"limit": _size_label(limit)},
        field="file",
    )
    if uploaded.size is not None and uploaded.size > limit:
        raise too_large
    buffer = bytearray()
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    for chunk in uploaded.chunks():
        buffer += chunk
        if len(buffer) > limit:
            raise too_large
    return bytes(buffer)


def check_file(uploaded: File) -> tuple[bytes, FileType, str]:
    """Run the file checks 3 to 7; return the content, its type and the name to show."""
    name = clean_original_name(uploaded.name)
    data = _read_limited(uploaded, settings.EVIDENCE_MAX_FILE_BYTES)
    if not data:
        raise ServiceError(
            "evidence_empty",
            _("文件“%(name)s”是空文件（0字节），请重新选择。") % {"name": name},
            field="file",
        )
    file_type = detect_type(data[:16])
    if file_type is None:
        if data.startswith(EXECUTABLE_SIGNATURES):
            message = _("文件“%(name)s”是可执行程序，不予接收。只接收PDF、JPEG或PNG格式的文件。")
        else:
            message = _(
                "文件“%(name)s”的内容不是PDF、JPEG或PNG格式，不予接收（按文件内容判断，与扩展名无关）。"
            )
        raise ServiceError("evidence_type_refused", message % {"name": name}, field="file")
    if file_type.extension == "pdf":
        active = pdf_active_content(data)
        if active is not None:
            raise ServiceError(
                "evidence_pdf_active_content",
                _("PDF文件“%(name)s”含有脚本或启动程序的指令（/%(what)s），为安全起见不予接收。"
                  "请将其打印或另存为不含脚本的PDF后再上传。")
                % {"name": name, "what": active},
                field="file",
            )
    scanner: Scanner = import_string(settings.EVIDENCE_SCANNER)
    verdict = scanner(data, content_type=file_type.content_type, name=name)
    if verdict:
        raise ServiceError(
            "evidence_scanner_refused",
            _("文件“%(name)s”未通过安全检查：%(reason)s") % {"name": name, "reason": verdict},
            field="file",
        )
    return data, file_type, name


def _check_purpose(declaration: Declaration, purpose: str, achievement: Achievement | None) -> None:
    if purpose not in EvidencePurpose.values:
        raise ServiceError("invalid_choice", _("材料类型无效。"), field="purpose")
    if achievement is None:
        if purpose not in DECLARATION_PURPOSES:
            raise ServiceError(
                "achievement_required",
                _("“%(purpose)s”是业绩成果的证明材料，请在对应的业绩成果下上传。")
                % {"purpose": EvidencePurpose(purpose).label},
                field="achievement",
            )
        return
    if achievement.declaration_id != declaration.pk:
        raise ServiceError("achievement_not_found", _("该业绩成果不属于本申报。"), field="achievement")
    if purpose not in achievement_purposes(achievement.kind):
        raise ServiceError(
            "evidence_purpose_mismatch",
            _("“%(kind)s”类业绩成果的证明材料不包括“%(purpose)s”（R8.6）。")
            % {"kind": achievement.get_kind_display(), "purpose": EvidencePurpose(purpose).label},
            field="purpose",
        )


def delete_files_on_commit(names: Iterable[str]) -> None:
    """Delete stored files once the transaction that dropped their rows commits."""
    names = [n for n in names if n]
    if names:
        transaction.on_commit(lambda: [default_storage.delete(n) for n in names])


def evidence_upload(
    *,
    declaration: Declaration,
    actor: User,
    purpose: str,
    uploaded_file: File,
    achievement: Achievement | None = None,
) -> Evidence:
    """Check and store one evidence file (the checks are listed in the module docstring).

    A refused file leaves nothing behind: the checks run before anything is written, and
    a file already written is deleted again if the row cannot be saved.
    """
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = lock_for_material(declaration, actor)
            if achievement is not None:
                achievement = Achievement.objects.filter(pk=achievement.pk, declaration=locked).first()
                if achievement is None:
                    raise ServiceError(
                        "achievement_not_found", _("该业绩成果不属于本申报。"), field="achievement"
                    )
            _check_purpose(locked, purpose, achievement)
            data, file_type, name = check_file(uploaded_file)
            limit = settings.EVIDENCE_MAX_DECLARATION_BYTES
            used = Evidence.objects.filter(declaration=locked).aggregate(total=Sum("size"))["total"] or 0
            if used + len(data) > limit:
                raise ServiceError(
                    "evidence_declaration_full",
                    _("本申报的证明材料合计不能超过%(limit)s（已上传%(used)s，本文件%(size)s），"
                      "请压缩或删减后再上传。")
                    % {
                        "limit": _size_label(limit),
                        "used": _size_label(used),
                        "size": _size_label(len(data)),
                    },
                    field="file",
                )
            evidence = Evidence(
                declaration=locked,
                achievement=achievement,
                purpose=purpose,
                original_name=name,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                content_type=file_type.content_type,
                uploaded_by=actor,
            )
            # The stored name is generated (evidence_upload_to); only the extension of
            # the detected type is passed on.
            evidence.file.save(f"evidence.{file_type.extension}", ContentFile(data), save=False)
            stored.append(evidence.file.name)
            evidence.save()
            audit_record(
                actor=actor,
                obj=locked,
                action="evidence_upload",
                data={
                    "evidence": evidence.pk,
                    "achievement": achievement.pk if achievement else None,
                    "purpose": purpose,
                    "sha256": evidence.sha256,
                    "size": evidence.size,
                },
            )
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return evidence


@transaction.atomic
def evidence_delete(*, declaration: Declaration, evidence: Evidence, actor: User) -> None:
    """Delete an evidence file of a draft or returned declaration."""
    locked = lock_for_material(declaration, actor)
    row = Evidence.objects.select_for_update().filter(pk=evidence.pk, declaration=locked).first()
    if row is None:
        raise ServiceError("evidence_not_found", _("该证明材料不属于本申报。"))
    data = {
        "evidence": row.pk,
        "purpose": row.purpose,
        "achievement": row.achievement_id,
        "sha256": row.sha256,
    }
    name = row.file.name
    row.delete()
    delete_files_on_commit([name])
    audit_record(actor=actor, obj=locked, action="evidence_delete", data=data)


# --- reads --------------------------------------------------------------------------------


def evidence_list_for_declaration(declaration: Declaration) -> QuerySet[Evidence]:
    """Every evidence file of the declaration, oldest first."""
    return Evidence.objects.filter(declaration=declaration).order_by("created_at", "pk")


def evidence_list_for_purpose(declaration: Declaration, purpose: str) -> QuerySet[Evidence]:
    """The declaration's files of one purpose (e.g. a shared-data item under manual review)."""
    return evidence_list_for_declaration(declaration).filter(purpose=purpose)


def evidence_get_for_user(user: User, declaration_pk: int | str, evidence_pk: int | str) -> Evidence:
    """Return an evidence file the person may download; 404 otherwise, never 403.

    Whoever may open the declaration may download its files: the applicant, the
    administrators of the organisations on its route once submitted, and the committee
    host once it reached the committee (``declaration_get_for_user``).
    """
    declaration = declaration_get_for_user(user, declaration_pk)
    try:
        return Evidence.objects.select_related("declaration").get(pk=evidence_pk, declaration=declaration)
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
