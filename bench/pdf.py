"""The e-certificate scenario: render and seal one certificate, against a minimal WeasyPrint page."""

from __future__ import annotations

import statistics
import time
from typing import Any

# The same faces as the certificate (templates/certificates/certificate_pdf.css): Noto
# Serif CJK SC for the text (bold for the title, as h1), Noto Sans CJK SC for labels.
MINIMAL_HTML = """<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 20mm; }
html { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 12pt; }
.label { font-family: "Noto Sans CJK SC", sans-serif; }
</style></head><body><h1>数字技术职称电子证书</h1><p><span class="label">持证人</span> 张三丰</p>
</body></html>"""


def _median_ms(fn: Any, repeat: int) -> float:
    fn()  # warm: fonts, templates
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def minimal_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string=MINIMAL_HTML).write_pdf()


def measure(repeat: int = 10) -> dict[str, Any]:
    baseline = _median_ms(minimal_pdf, repeat)
    try:
        render_unsealed, render_sealed = certificate_renderers()
    except Exception as exc:  # noqa: BLE001 - reported as "not measured" with the reason
        return {"baseline_ms": baseline, "error": f"{type(exc).__name__}: {exc}"}
    return {
        "baseline_ms": baseline,
        "unsealed_ms": _median_ms(render_unsealed, repeat),
        "certificate_ms": _median_ms(render_sealed, repeat),
    }


def certificate_renderers() -> tuple[Any, Any]:
    """Return (render unsealed, render and seal) for one certificate of the seeded data.

    Uses the platform's own functions (``certificates.documents.certificate_pdf`` and
    ``certificates.services.certificate_render``) on ``bench_certificate()``.
    """
    from certificates.documents import certificate_pdf
    from certificates.services import certificate_render, certificate_verification_url

    certificate = bench_certificate()

    def unsealed() -> bytes:
        return certificate_pdf(certificate, verification_url=certificate_verification_url(certificate))

    def sealed() -> bytes:
        return certificate_render(certificate)

    return unsealed, sealed


def bench_certificate() -> Any:
    """An unsaved certificate held by the seeded approval body, its seal key ready.

    ``manage.py seal_dev_ca`` issues the body's development seal key into the bench's
    own ``SEAL_KEYS_DIR`` (var/bench/seals).
    """
    import datetime
    import secrets

    from django.core.management import call_command

    from accounts.enums import OrgKind
    from accounts.models import Organisation
    from certificates.models import Certificate

    call_command("seal_dev_ca", verbosity=0)
    body = Organisation.objects.filter(kind=OrgKind.APPROVAL_BODY).order_by("pk").first()
    return Certificate(
        number="渝数技2026-G-000001",
        token=secrets.token_urlsafe(24),
        holder_name="张三丰",
        holder_id_masked="500103********1234",
        field="big_data",
        level="senior_engineer",
        qualification="高级工程师",
        review_organisation="重庆市数字技术专业高级职称评审委员会",
        sealing_organisation=body,
        issuing_organisation_name=body.name,
        approval_document_number="渝人社职〔2026〕1号",
        obtained_on=datetime.date(2026, 11, 1),
        issued_on=datetime.date(2026, 11, 20),
    )
