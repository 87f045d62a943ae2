"""The QR code printed on each certificate: it opens the public verification page."""

from __future__ import annotations

import base64
import io

from django.conf import settings

DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8000"


def public_base_url() -> str:
    """The platform's public address (setting ``PUBLIC_BASE_URL``), without a trailing slash."""
    return (getattr(settings, "PUBLIC_BASE_URL", "") or DEFAULT_PUBLIC_BASE_URL).rstrip("/")


def absolute_url(path: str) -> str:
    return f"{public_base_url()}{path}"


def qr_png(data: str, *, box_size: int = 10, border: int = 4) -> bytes:
    """Encode ``data`` as a QR code PNG (error correction M, quiet zone of 4 modules).

    The PNG is 8-bit grayscale, drawn from the code's matrix: WeasyPrint embeds such an
    image as it is, where a 1-bit image (qrcode's own) is first converted to RGB and
    compressed twice more for every certificate.
    """
    import qrcode
    from PIL import Image
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()  # with the quiet zone
    size = len(matrix)
    image = Image.frombytes("L", (size, size), bytes(0 if dark else 255 for row in matrix for dark in row))
    image = image.resize((size * box_size, size * box_size), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_data_uri(data: str) -> str:
    """The QR code of ``data`` as a ``data:`` URI a WeasyPrint template can show."""
    return "data:image/png;base64," + base64.b64encode(qr_png(data)).decode("ascii")
