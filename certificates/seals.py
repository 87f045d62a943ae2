"""Electronic seals (电子印章): PAdES signatures with a visible seal image (R7.4, R8.4, R8.7).

Each sealing identity, an organisation (approval body, committee host, a unit) or a
committee, is a PKCS#12 file in ``settings.SEAL_KEYS_DIR``:
``organisation-<credit code>.p12`` (``organisation-id<pk>.p12`` when the organisation has
no credit code) or ``committee-<pk>.p12``, opened with ``settings.SEAL_P12_PASSWORD``. A
PNG of the same name beside it is the seal's image; without one a red round seal is
drawn from the holder's name (certificates/seal_image.py).

``pdf_seal`` adds one incremental PAdES signature per placement, each shown as the seal
image in its box; ``pdf_seal_check`` reports what a PDF reader would: whether each
signature is intact, chains to a trusted root (``settings.SEAL_TRUST_ROOTS``) and what
it covers. Keys come from a trusted CA in production; ``manage.py seal_dev_ca`` makes
stand-ins for development (certificates/devca.py, docs/seals.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import re
import threading
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asn1crypto import cms, tsp
from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image
from pyhanko.keys.internal import (
    translate_pyca_cryptography_cert_to_asn1,
    translate_pyca_cryptography_key_to_asn1,
)
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import attributes, fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from core.exceptions import ServiceError

from .seal_image import seal_image_draw

if TYPE_CHECKING:
    from accounts.models import Organisation
    from committees.models import Committee

logger = logging.getLogger(__name__)

ORGANISATION = "organisation"
COMMITTEE = "committee"
# The line under the star of a committee's drawn seal; seals are Chinese in any language.
COMMITTEE_SEAL_LINE = "评审专用章"
SEAL_OPACITY = 0.9
_FIELD_NAME = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")


class SealNotConfigured(ServiceError):
    """The key file of a sealing identity is missing or cannot be opened."""

    def __init__(self, path: Path, *, unreadable: bool = False) -> None:
        if unreadable:
            message = _("电子印章密钥文件 %(file)s 无法打开（口令错误或文件损坏），请联系系统管理员。")
        else:
            message = _("未配置电子印章：缺少密钥文件 %(file)s，请联系系统管理员。")
        super().__init__("seal_not_configured", message % {"file": path.name})
        self.path = path


@dataclass(frozen=True)
class SealIdentity:
    """Who seals: the holder's name (the seal's text, the certificate's CN) and its files."""

    kind: str  # ORGANISATION or COMMITTEE
    holder_name: str
    key_file: Path
    organisation_name: str = ""  # the certificate's O: the holder, or a committee's host
    credit_code: str = ""
    seal_line: str = ""  # the drawn seal's line under the star

    @property
    def image_file(self) -> Path:
        """An optional scanned or designed seal image, used instead of the drawn one."""
        return self.key_file.with_suffix(".png")

    @property
    def configured(self) -> bool:
        return self.key_file.is_file()


@dataclass(frozen=True)
class SealPlacement:
    """Where and as whom to seal."""

    identity: SealIdentity
    page: int  # 0-based, -1 = last page
    box: tuple[float, float, float, float]  # PDF points, origin bottom-left (x1, y1, x2, y2)
    field_name: str
    reason: str = ""


@dataclass(frozen=True)
class SealCheck:
    """What a PDF reader would say about one signature of a sealed PDF."""

    field_name: str
    signer: str  # the signing certificate's subject CN
    intact: bool  # the signed bytes are unchanged
    valid: bool  # intact, chains to a trust root, and later revisions only add seals
    covers_whole_file: bool  # no revision was appended after this signature
    trusted: bool = False
    signed_at: dt.datetime | None = None
    reason: str = ""


def keys_dir() -> Path:
    return Path(settings.SEAL_KEYS_DIR)


def seal_identity_for_organisation(org: Organisation) -> SealIdentity:
    """The seal of an organisation (approval body, committee host, a unit)."""
    code = re.sub(r"[^0-9A-Za-z]", "", org.credit_code or "").upper()
    stem = f"organisation-{code}" if code else f"organisation-id{org.pk}"
    return SealIdentity(
        kind=ORGANISATION,
        holder_name=org.name,
        key_file=keys_dir() / f"{stem}.p12",
        organisation_name=org.name,
        credit_code=code,
    )


def seal_identity_for_committee(committee: Committee) -> SealIdentity:
    """The seal of a review committee (评审委员会), issued under its host organisation."""
    return SealIdentity(
        kind=COMMITTEE,
        holder_name=committee.name,
        key_file=keys_dir() / f"committee-{committee.pk}.p12",
        organisation_name=committee.host.name,
        seal_line=COMMITTEE_SEAL_LINE,
    )


def seal_identities_all() -> list[SealIdentity]:
    """Every committee and every approval body or committee host: who may need a seal."""
    from accounts.enums import OrgKind
    from accounts.models import Organisation
    from committees.models import Committee

    committees = list(Committee.objects.select_related("host").order_by("pk"))
    org_ids = {c.host_id for c in committees} | {c.approval_body_id for c in committees if c.approval_body_id}
    organisations = Organisation.objects.filter(pk__in=org_ids) | Organisation.objects.filter(
        kind__in=[OrgKind.APPROVAL_BODY, OrgKind.COMMITTEE_HOST]
    )
    return [seal_identity_for_committee(c) for c in committees] + [
        seal_identity_for_organisation(o) for o in organisations.distinct().order_by("pk")
    ]


def seal_identity_require(identity: SealIdentity) -> None:
    """Raise SealNotConfigured unless the identity's key opens (checks once per file version)."""
    _signer(identity)


class _LoadedKeySigner(signers.SimpleSigner):
    """A SimpleSigner that keeps its RSA key loaded and knows its signature's size.

    pyHanko re-parses the private key for every signature (and once more for a dummy
    signature that measures the space to reserve); loading an RSA key checks it, about
    50 ms each time. Here the key is loaded once per process, and the space is reserved
    from the certificates' sizes (``bytes_reserved``), so no dummy signature is made.
    """

    def __init__(self, *, private_key: RSAPrivateKey, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._private_key = private_key
        # Room for the CMS signature: the embedded certificates, the RSA signature, and
        # the signed attributes with margin. Known in advance, it spares pyHanko building
        # a dummy signature to measure it (half of the time of a seal).
        certificates = [self.signing_cert, *self.cert_registry]
        needed = sum(len(c.dump()) for c in certificates) + private_key.key_size // 8 + 2048
        self.bytes_reserved: int | None = 2 * needed  # counted in hexadecimal digits

    def _signed_attr_providers(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        # The signing-certificate-v2 attribute (PAdES) names this signer's certificate: the
        # same for every document. Encoded once; a parsed value is not encoded again.
        for provider in super()._signed_attr_providers(*args, **kwargs):
            if isinstance(provider, attributes.SigningCertificateV2Provider):
                yield self._signing_certificate_v2
            else:
                yield provider

    @functools.cached_property
    def _signing_certificate_v2(self) -> _EncodedSigningCertificateV2:
        return _EncodedSigningCertificateV2(self.signing_cert)

    async def signed_attrs(self, *args: Any, **kwargs: Any) -> cms.CMSAttributes:
        # asn1crypto encodes a value built in Python again each time it is read (the
        # signature, the SignerInfo and the SignedData each read the signed attributes):
        # encode them once and hand on the parsed result, read from its bytes thereafter.
        built = await super().signed_attrs(*args, **kwargs)
        return cms.CMSAttributes.load(built.dump())

    def _pkcs1v15(self, digest_algorithm: str) -> bool:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            return mechanism.signature_algo == "rsassa_pkcs1v15"
        except ValueError:
            return False

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        if self._pkcs1v15(digest_algorithm):
            return self._private_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        return super().sign_raw(data, digest_algorithm)

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        if dry_run and self._pkcs1v15(digest_algorithm):
            # An RSA PKCS#1 v1.5 signature is always as long as the modulus.
            return bytes(self._private_key.key_size // 8)
        return self.sign_raw(data, digest_algorithm)


class _EncodedSigningCertificateV2(attributes.SigningCertificateV2Provider):
    """pyHanko's signing-certificate-v2 attribute, encoded once for its certificate."""

    def __init__(self, signing_cert: asn1_x509.Certificate) -> None:
        super().__init__(signing_cert)
        self._der = attributes.as_signing_certificate_v2(signing_cert).dump()

    async def build_attr_value(self, dry_run: bool = False) -> tsp.SigningCertificateV2:
        return tsp.SigningCertificateV2.load(self._der)


@dataclass(frozen=True)
class _EncodedImage:
    """A seal image compressed once: colour and alpha (soft mask) as Flate streams."""

    image: Image.Image
    colour: bytes
    alpha: bytes

    @classmethod
    def of(cls, image: Image.Image) -> _EncodedImage:
        rgba = image.convert("RGBA")
        return cls(
            image=rgba,
            colour=zlib.compress(rgba.convert("RGB").tobytes()),
            alpha=zlib.compress(rgba.getchannel("A").tobytes()),
        )

    def write(self, writer: object) -> generic.IndirectObject:
        def stream(colour_space: str, data: bytes, **extra: object) -> generic.IndirectObject:
            entries = {
                "/Type": generic.NameObject("/XObject"),
                "/Subtype": generic.NameObject("/Image"),
                "/Width": generic.NumberObject(self.image.width),
                "/Height": generic.NumberObject(self.image.height),
                "/ColorSpace": generic.NameObject(colour_space),
                "/BitsPerComponent": generic.NumberObject(8),
                "/Filter": generic.NameObject("/FlateDecode"),
                **extra,
            }
            dict_data = {generic.NameObject(k): v for k, v in entries.items()}
            return writer.add_object(generic.StreamObject(dict_data, encoded_data=data))  # type: ignore[attr-defined]

        return stream("/DeviceRGB", self.colour, **{"/SMask": stream("/DeviceGray", self.alpha)})


class _SealImage(PdfImage):
    """pyHanko's image content, writing the pre-compressed streams of an _EncodedImage."""

    def __init__(self, encoded: _EncodedImage) -> None:
        super().__init__(encoded.image, box=layout.BoxConstraints(encoded.image.width, encoded.image.height))
        self._encoded = encoded

    @property
    def image_ref(self) -> generic.IndirectObject:
        ref = self._image_ref
        if ref is None or ref.get_pdf_handler() is not self.writer:
            self._image_ref = ref = self._encoded.write(self.writer)
        return ref


def _signer_load(data: bytes, password: str) -> signers.SimpleSigner:
    """The signer of a PKCS#12 archive (its other certificates are the chain to embed)."""
    key, cert, others = pkcs12.load_key_and_certificates(data, password.encode() or None)
    if key is None or cert is None:
        raise ValueError("the PKCS#12 archive holds no key or no certificate")
    registry = SimpleCertificateStore()
    registry.register_multiple([translate_pyca_cryptography_cert_to_asn1(c) for c in others])
    common = {
        "signing_key": translate_pyca_cryptography_key_to_asn1(key),
        "signing_cert": translate_pyca_cryptography_cert_to_asn1(cert),
        "cert_registry": registry,
    }
    if isinstance(key, RSAPrivateKey):
        return _LoadedKeySigner(private_key=key, **common)
    return signers.SimpleSigner(**common)


# Loaded keys and seal images, per process: a batch seals hundreds of PDFs with a few
# identities. An entry is reused while the file's mtime and size are unchanged, so a
# key replaced on disk is picked up without a restart.
_cache_lock = threading.Lock()
_signer_cache: dict[Path, tuple[tuple[int, int, str], signers.SimpleSigner]] = {}
_image_cache: dict[tuple[str, ...], _EncodedImage] = {}
_roots_cache: dict[tuple[str, int, int], list[asn1_x509.Certificate]] = {}


def _file_version(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _signer(identity: SealIdentity) -> signers.SimpleSigner:
    path = identity.key_file
    version = _file_version(path)
    if version is None:
        raise SealNotConfigured(path)
    password = settings.SEAL_P12_PASSWORD or ""
    key = (*version, password)
    with _cache_lock:
        cached = _signer_cache.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    try:
        signer = _signer_load(path.read_bytes(), password)
    except (OSError, ValueError, TypeError) as exc:
        raise SealNotConfigured(path, unreadable=True) from exc
    with _cache_lock:
        _signer_cache[path] = (key, signer)
    return signer


def _seal_image(identity: SealIdentity) -> _EncodedImage:
    version = _file_version(identity.image_file)
    if version is not None:
        key: tuple[str, ...] = ("file", str(identity.image_file), *map(str, version))
    else:
        key = ("drawn", identity.holder_name, identity.seal_line)
    with _cache_lock:
        image = _image_cache.get(key)
    if image is None:
        if version is not None:
            with Image.open(identity.image_file) as opened:
                image = _EncodedImage.of(opened)
        else:
            image = _EncodedImage.of(seal_image_draw(identity.holder_name, bottom_text=identity.seal_line))
        with _cache_lock:
            _image_cache[key] = image
    return image


def _stamp_style(identity: SealIdentity) -> StaticStampStyle:
    return StaticStampStyle(
        background=_SealImage(_seal_image(identity)),
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
            inner_content_scaling=layout.InnerScaling.STRETCH_TO_FIT,
        ),
        background_opacity=SEAL_OPACITY,
        border_width=0,
    )


def _placement_check(placement: SealPlacement, page_count: int) -> None:
    if not _FIELD_NAME.match(placement.field_name):
        raise ServiceError(
            "seal_field_name",
            _("印章签名域名称 %(name)s 无效：只能使用字母、数字、下划线和连字符。")
            % {"name": placement.field_name},
        )
    x1, y1, x2, y2 = placement.box
    if not (x2 > x1 and y2 > y1):
        raise ServiceError("seal_box", _("印章位置无效：右上角须在左下角的右上方。"))
    if not -page_count <= placement.page < page_count:
        raise ServiceError(
            "seal_page_missing",
            _("文档只有 %(count)s 页，无法在第 %(page)s 页盖章。")
            % {"count": page_count, "page": placement.page + 1 if placement.page >= 0 else placement.page},
        )


def pdf_seal(pdf: bytes, placements: Sequence[SealPlacement]) -> bytes:
    """Seal ``pdf``: one incremental PAdES signature with a visible seal per placement.

    Placements are applied in order, each in its own revision, so every earlier seal
    stays valid (a later revision only adds a signature field). No timestamp is added
    (no TSA): the signing time is the signer's clock. Raises SealNotConfigured before
    any work if a key is missing, ServiceError for a bad placement.
    """
    if not placements:
        return pdf
    names = [p.field_name for p in placements]
    if len(set(names)) != len(names):
        raise ServiceError("seal_field_exists", _("同一文档中的印章签名域名称不能重复。"))
    prepared = [(p, _signer(p.identity), _stamp_style(p.identity)) for p in placements]
    try:
        # The first revision's writer reads the PDF once, for these checks as well.
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        reader = writer.prev
        page_count = int(reader.root["/Pages"]["/Count"])
        existing = {name for name, _value, _ref in fields.enumerate_sig_fields(reader)}
    except (PdfError, KeyError, ValueError) as exc:
        raise ServiceError("seal_pdf_unreadable", _("无法读取待盖章的 PDF 文件。")) from exc
    for placement in placements:
        _placement_check(placement, page_count)
        if placement.field_name in existing:
            raise ServiceError(
                "seal_field_exists",
                _("文档中已有名为 %(name)s 的印章签名域。") % {"name": placement.field_name},
            )

    data = pdf
    for index, (placement, signer, style) in enumerate(prepared):
        meta = signers.PdfSignatureMetadata(
            field_name=placement.field_name,
            reason=placement.reason or None,
            name=placement.identity.holder_name,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
        )
        spec = fields.SigFieldSpec(
            sig_field_name=placement.field_name,
            on_page=placement.page,
            box=placement.box,  # type: ignore[arg-type]  # floats are fine: written as reals
        )
        pdf_signer = signers.PdfSigner(meta, signer, stamp_style=style, new_field_spec=spec)
        try:
            if index:
                writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
            output = pdf_signer.sign_pdf(writer, bytes_reserved=getattr(signer, "bytes_reserved", None))
        except SigningError as exc:
            logger.exception("Sealing as %s failed", placement.identity.key_file.name)
            raise ServiceError("seal_failed", _("电子印章签名失败，请联系系统管理员。")) from exc
        data = output.getvalue()
    return data


def _certificates_from(blob: bytes) -> list[asn1_x509.Certificate]:
    """Certificates in PEM (one or more) or DER ``blob``."""
    if asn1_pem.detect(blob):
        return [
            asn1_x509.Certificate.load(der)
            for type_name, _headers, der in asn1_pem.unarmor(blob, multiple=True)
            if type_name == "CERTIFICATE"
        ]
    return [asn1_x509.Certificate.load(blob)]


def configured_trust_roots() -> list[asn1_x509.Certificate]:
    """The certificates of the files in ``settings.SEAL_TRUST_ROOTS`` (missing files skipped)."""
    roots: list[asn1_x509.Certificate] = []
    for name in settings.SEAL_TRUST_ROOTS:
        path = Path(name)
        version = _file_version(path)
        if version is None:
            continue
        key = (str(path), *version)
        with _cache_lock:
            certs = _roots_cache.get(key)
        if certs is None:
            certs = _certificates_from(path.read_bytes())
            with _cache_lock:
                _roots_cache[key] = certs
        roots.extend(certs)
    if not roots:
        logger.warning("No seal trust roots found in SEAL_TRUST_ROOTS=%s", settings.SEAL_TRUST_ROOTS)
    return roots


def _common_name(cert: asn1_x509.Certificate | None) -> str:
    if cert is None:
        return ""
    try:
        return str(cert.subject.native.get("common_name", "")) or cert.subject.human_friendly
    except ValueError:  # an undecodable subject
        return ""


def pdf_seal_check(pdf: bytes, *, trust_roots: Sequence[bytes] | None = None) -> list[SealCheck]:
    """Validate every signature in ``pdf`` against ``trust_roots`` (PEM or DER certificates).

    Without ``trust_roots``, the configured roots (``SEAL_TRUST_ROOTS``) are used. A PDF
    that cannot be read at all yields no checks; a signature that cannot be evaluated is
    reported neither intact nor valid.
    """
    if trust_roots is None:
        roots = configured_trust_roots()
    else:
        roots = [cert for blob in trust_roots for cert in _certificates_from(blob)]
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
    try:
        embedded = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except (PdfError, KeyError, ValueError):
        return []
    checks = []
    for sig in embedded:
        try:
            cert: asn1_x509.Certificate | None = sig.signer_cert
        except (ValueError, KeyError):
            cert = None
        try:
            status = validate_pdf_signature(sig, signer_validation_context=context)
        except Exception:  # noqa: BLE001 - any failure to evaluate means "not valid", never a 500
            checks.append(
                SealCheck(
                    field_name=sig.field_name,
                    signer=_common_name(cert),
                    intact=False,
                    valid=False,
                    covers_whole_file=False,
                )
            )
            continue
        checks.append(
            SealCheck(
                field_name=sig.field_name,
                signer=_common_name(cert),
                intact=bool(status.intact),
                valid=bool(status.bottom_line),
                covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
                trusted=bool(status.trusted),
                signed_at=status.signer_reported_dt,
                reason=str(sig.sig_object.get("/Reason", "")),
            )
        )
    return checks
