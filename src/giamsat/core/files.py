"""Uploads: size- and type-limited, names sanitised, stored outside static files, served only
through ``download`` after the owning record's access check.

Each app registers who may read its attachments: ``register_access(Model, can_view)`` where
``can_view(user, obj) -> bool`` uses the same scoping as the record's own page.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import unicodedata
from collections.abc import Callable
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext as _

from giamsat.core.models import Attachment
from giamsat.core.text import remove_diacritics

# Types a party office exchanges; anything else is refused. Sniffed by magic bytes as well.
ALLOWED_TYPES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".txt": (),
    ".csv": (),
}

_ACCESS: dict[type[models.Model], Callable[[object, models.Model], bool]] = {}


def register_access(
    model: type[models.Model], can_view: Callable[[object, models.Model], bool]
) -> None:
    _ACCESS[model] = can_view


def can_view_attachment(user, attachment: Attachment) -> bool:
    owner = attachment.content_type.get_object_for_this_type(pk=attachment.object_id)
    check = _ACCESS.get(type(owner))
    return bool(check and check(user, owner))


def sanitise_name(name: str) -> str:
    """A safe file name: no path, no control characters, ASCII letters, digits, ._- only."""
    base = PurePath(name.replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
    ascii_name = remove_diacritics(base)
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name).strip("._") or "file"
    stem, dot, ext = ascii_name.rpartition(".")
    if not dot:
        stem, ext = ascii_name, ""
    return (stem[:80] + ("." + ext.lower()[:10] if ext else "")) or "file"


def validate_upload(
    upload: UploadedFile, *, max_mb: int | None = None, allowed=ALLOWED_TYPES
) -> str:
    """Check size, extension and content; return the sanitised name or raise ValidationError."""
    limit = (max_mb or settings.GIAMSAT_MAX_UPLOAD_MB) * 1024 * 1024
    if upload.size is None or upload.size <= 0:
        raise ValidationError(_("The file is empty."))
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size).1f MB; the limit is %(limit)d MB.")
            % {"size": upload.size / 1024 / 1024, "limit": limit // 1024 // 1024}
        )
    name = sanitise_name(upload.name or "file")
    ext = PurePath(name).suffix.lower()
    if ext not in allowed:
        raise ValidationError(
            _("Files of type %(ext)s are not accepted (accepted: %(types)s).")
            % {"ext": ext or "?", "types": ", ".join(sorted(allowed))}
        )
    signatures = allowed[ext]
    if signatures:
        upload.seek(0)
        head = upload.read(8)
        upload.seek(0)
        if not any(head.startswith(sig) for sig in signatures):
            raise ValidationError(
                _("The file content does not match its type %(ext)s.") % {"ext": ext}
            )
    return name


def save_attachment(
    *, owner: models.Model, upload: UploadedFile, acting_user, description: str = ""
) -> Attachment:
    """Validate and store ``upload`` attached to ``owner``."""
    name = validate_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(owner),
        object_id=owner.pk,
        original_name=name,
        mime_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
        size=upload.size,
        sha256=digest.hexdigest(),
        description=description[:300],
        uploaded_by=acting_user,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment


def attachments_of(owner: models.Model):
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(owner), object_id=owner.pk
    ).order_by("created_at")
