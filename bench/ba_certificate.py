# ruff: noqa: E501 - BEFORE_TEMPLATE is the former template, kept verbatim
"""Before-and-after figures of the e-certificate changes (docs/benchmarks.md), same run.

Each function times the path as it was before the change, kept here, against the path
as it is now, on ``bench.pdf.bench_certificate()``. Times are medians in milliseconds
(``bench.beforeafter._median_ms``). What changed:

- the page: one WeasyPrint ``FontConfiguration`` and the certificate's stylesheet kept
  per worker (``certificates.documents.font_config``, ``certificate_stylesheet``)
  instead of new ones per document; the facts table laid out with ``table-layout:
  fixed`` (no min/max-content measuring of every cell); the QR code an 8-bit grayscale
  PNG (WeasyPrint converted qrcode's 1-bit image to RGB and compressed it twice more);
  the issue date printed without a colon (the footnote keeps its natural full-width
  punctuation, although those glyphs sit at the end of the SC face and WeasyPrint's
  subset keeps every glyph id up to the highest used);
- the seal: the signing-certificate-v2 attribute encoded once per signer, the signed
  attributes encoded once per signature (asn1crypto encoded them again at each read),
  and the PDF read once for the checks and the first revision instead of twice.
"""

from __future__ import annotations

import io
from typing import Any

from bench.beforeafter import _median_ms

# templates/certificates/certificate_pdf.html before the change (styles inline).
BEFORE_TEMPLATE = """{% load i18n %}<!DOCTYPE html>
<html lang="zh-hans">
<head>
<meta charset="utf-8">
<title>{% translate "专业技术职称电子证书" %} {{ c.number }}</title>
<style>
  @page { size: A4; margin: {{ g.margin_top }}mm {{ g.margin_side }}mm {{ g.margin_bottom }}mm {{ g.margin_side }}mm; }
  html { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 12pt; color: #000; }
  .sheet { position: relative; height: {{ g.sheet_height }}mm; overflow: hidden; border: 2.2pt double #8a1c1c; box-sizing: border-box; }
  .inner { position: absolute; left: 8mm; right: 8mm; top: 8mm; bottom: 8mm; border: 0.6pt solid #8a1c1c; }
  h1 { font-size: 26pt; text-align: center; letter-spacing: 8pt; margin: 20mm 0 2mm; color: #8a1c1c; }
  .kind { text-align: center; font-size: 12pt; letter-spacing: 3pt; margin: 0 0 12mm; }
  table.facts { position: absolute; left: 22mm; right: 22mm; top: 62mm; border-collapse: collapse; width: 130mm; }
  table.facts th { font-family: "Noto Sans CJK SC", sans-serif; font-weight: normal; color: #444; text-align: justify; text-align-last: justify; width: 32mm; padding: 3.2mm 6mm 3.2mm 0; vertical-align: top; font-size: 11.5pt; }
  table.facts td { padding: 3.2mm 0; font-size: 13pt; border-bottom: 0.4pt solid #bbb; }
  .name { font-size: 18pt; letter-spacing: 2pt; }
  .qr { position: absolute; width: 34mm; height: 34mm; }
  .qr-caption { position: absolute; width: 60mm; font-size: 8.5pt; color: #444; text-align: left; }
  .issuer { position: absolute; width: 70mm; text-align: center; line-height: 1.9; font-size: 12.5pt; }
  .seal-slot { position: absolute; width: {{ g.seal_size }}mm; height: {{ g.seal_size }}mm; border: 0.6pt dashed #c00; border-radius: 50%; color: #c66; font-size: 8pt; text-align: center; }
  .seal-slot span { display: block; margin-top: 17mm; }
  .foot { position: absolute; left: 12mm; right: 12mm; text-align: center; font-size: 8.5pt; color: #555; }
</style>
</head>
<body>
  <div class="sheet">
    <div class="inner"></div>
    <h1>{% translate "职称证书" %}</h1>
    <p class="kind">{% translate "重庆市数字技术专业技术职称 · 电子证书" %}</p>
    <table class="facts">
      <tr><th>{% translate "姓名" %}</th><td class="name">{{ c.holder_name }}</td></tr>
      <tr><th>{% translate "身份证号码" %}</th><td>{{ c.holder_id_masked }}</td></tr>
      <tr><th>{% translate "专业" %}</th><td>{{ c.get_field_display }}</td></tr>
      <tr><th>{% translate "资格名称" %}</th><td>{{ c.qualification }}</td></tr>
      <tr><th>{% translate "评审组织" %}</th><td>{{ c.review_organisation }}</td></tr>
      <tr><th>{% translate "批准文号" %}</th><td>{{ c.approval_document_number }}</td></tr>
      <tr><th>{% translate "取得资格时间" %}</th><td>{{ c.obtained_on|date:"Y年n月j日" }}</td></tr>
      <tr><th>{% translate "证书编号" %}</th><td>{{ c.number }}</td></tr>
    </table>

    <img class="qr" src="{{ qr }}" alt="" style="left: 22mm; top: {{ sealing_slot.top_mm }}mm">
    <div class="qr-caption" style="left: 22mm; top: {{ sealing_slot.top_mm|add:"36" }}mm">{% translate "扫描二维码核验证书真伪" %}<br><span style="word-break: break-all; font-size: 7pt">{{ verification_url }}</span></div>

    <div class="issuer" style="left: {{ sealing_slot.caption_left_mm }}mm; top: {{ sealing_slot.top_mm|add:"8" }}mm">
      {{ c.issuing_organisation_name }}<br>
      {% blocktranslate with on=c.issued_on|date:"Y年n月j日" %}发证日期：{{ on }}{% endblocktranslate %}
    </div>
    <div class="seal-slot" style="left: {{ sealing_slot.left_mm }}mm; top: {{ sealing_slot.top_mm }}mm"><span>{% translate "电子印章" %}</span></div>

    <p class="foot" style="top: {{ g.footnote_top }}mm">{% translate "本证书为电子证书，由持证人自行下载打印（R8.7）；证书真伪以核验页面显示为准。" %}</p>
  </div>
</body>
</html>
"""


def _before_qr_data_uri(data: str) -> str:
    """qrcode's own 1-bit PNG, as before."""
    import base64

    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(data)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _before_page(certificate: Any, verification_url: str) -> bytes:
    """The unsealed page as before: template with inline styles, new fonts per document."""
    from django.template import engines
    from django.utils import translation
    from weasyprint import HTML

    from certificates import documents

    template = engines["django"].from_string(BEFORE_TEMPLATE)
    with translation.override(documents.DOCUMENT_LANGUAGE):
        html = template.render(
            {
                "c": certificate,
                "verification_url": verification_url,
                "qr": _before_qr_data_uri(verification_url),
                "g": documents._geometry(),  # noqa: SLF001 - the same geometry as now
                "sealing_slot": documents.CERTIFICATE_SEALING_SLOT,
            }
        )
    return HTML(string=html).write_pdf()


def _before_signer(identity: Any) -> Any:
    """The signer as before: the cached key, without the encoded attributes."""
    from pyhanko.sign import signers

    from certificates import seals

    now = seals._signer(identity)  # noqa: SLF001

    class Before(type(now)):  # type: ignore[misc]
        _signed_attr_providers = signers.SimpleSigner._signed_attr_providers  # noqa: SLF001
        signed_attrs = signers.SimpleSigner.signed_attrs

    before = Before.__new__(Before)
    before.__dict__.update({k: v for k, v in now.__dict__.items() if k != "_signing_certificate_v2"})
    return before


def _before_seal(pdf: bytes, placements: list[Any]) -> bytes:
    """``pdf_seal`` as before: the PDF read once more for the checks, attributes re-encoded."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields

    from certificates import seals

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    int(reader.root["/Pages"]["/Count"])
    list(fields.enumerate_sig_fields(reader))
    signers = {p.identity: _before_signer(p.identity) for p in placements}
    now = seals._signer  # noqa: SLF001
    seals._signer = signers.__getitem__  # noqa: SLF001 - switched back after the call
    try:
        return seals.pdf_seal(pdf, placements)
    finally:
        seals._signer = now  # noqa: SLF001


def _placements(certificate: Any) -> list[Any]:
    from certificates.documents import CERTIFICATE_SEAL_BOX
    from certificates.seals import SealPlacement, seal_identity_for_organisation

    return [
        SealPlacement(
            identity=seal_identity_for_organisation(certificate.sealing_organisation),
            page=0,
            box=CERTIFICATE_SEAL_BOX,
            field_name="issuer_seal",
            reason=f"电子证书 {certificate.number}（R8.7）",
        )
    ]


def certificate_pdf(repeat: int = 10) -> dict[str, float]:
    """The whole sealed certificate (``certificate_render``): before and after all changes."""
    from bench.pdf import bench_certificate
    from certificates.services import certificate_render, certificate_verification_url

    certificate = bench_certificate()
    url = certificate_verification_url(certificate)
    placements = _placements(certificate)
    return {
        "before_ms": _median_ms(lambda: _before_seal(_before_page(certificate, url), placements), repeat),
        "after_ms": _median_ms(lambda: certificate_render(certificate), repeat),
    }


def certificate_page(repeat: int = 10) -> dict[str, float]:
    """The unsealed WeasyPrint page (``certificate_pdf``): before and after."""
    from bench.pdf import bench_certificate
    from certificates.documents import certificate_pdf as page
    from certificates.services import certificate_verification_url

    certificate = bench_certificate()
    url = certificate_verification_url(certificate)
    return {
        "before_ms": _median_ms(lambda: _before_page(certificate, url), repeat),
        "after_ms": _median_ms(lambda: page(certificate, verification_url=url), repeat),
    }


def certificate_seal(repeat: int = 20) -> dict[str, float]:
    """Sealing one rendered certificate (``pdf_seal``): before and after."""
    from bench.pdf import bench_certificate
    from certificates.documents import certificate_pdf as page
    from certificates.seals import pdf_seal
    from certificates.services import certificate_verification_url

    certificate = bench_certificate()
    pdf = page(certificate, verification_url=certificate_verification_url(certificate))
    placements = _placements(certificate)
    return {
        "before_ms": _median_ms(lambda: _before_seal(pdf, placements), repeat),
        "after_ms": _median_ms(lambda: pdf_seal(pdf, placements), repeat),
    }
