"""Electronic seals: PAdES signatures with a visible seal, checked as a PDF reader would."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader

from accounts.enums import OrgKind
from certificates import devca
from certificates.seal_image import cjk_font_file, seal_image_draw, seal_image_png
from certificates.seals import (
    COMMITTEE,
    ORGANISATION,
    SealIdentity,
    SealNotConfigured,
    SealPlacement,
    _signer,
    pdf_seal,
    pdf_seal_check,
    seal_identity_for_committee,
    seal_identity_for_organisation,
    seal_identity_require,
)
from core.exceptions import ServiceError
from tests.committees.factories import setup_make
from tests.factories import OrganisationFactory

COMMITTEE_NAME = "重庆市数字技术工程技术人才职称评审委员会"
APPROVAL_NAME = "重庆市人力资源和社会保障局"


@pytest.fixture(scope="module")
def plain_pdf() -> bytes:
    """A two-page PDF made the way the platform makes its documents (WeasyPrint)."""
    from weasyprint import HTML

    html = (
        "<html><body style='font-family: \"Noto Serif CJK SC\"'>"
        "<h1>专业技术职务任职资格评审表</h1><p>姓名：张三</p>"
        "<p style='page-break-before: always'>评审结果：通过</p></body></html>"
    )
    return HTML(string=html).write_pdf()


def identity(
    seal_settings,
    name: str,
    stem: str,
    *,
    kind: str = ORGANISATION,
    seal_line: str = "",
    credit_code: str = "",
) -> SealIdentity:
    """A seal key for ``name`` in the test's keys directory, issued by the test CA."""
    return seal_settings.issue(
        SealIdentity(
            kind=kind,
            holder_name=name,
            key_file=seal_settings.keys_dir / f"{stem}.p12",
            seal_line=seal_line,
            credit_code=credit_code,
        )
    )


def placement(who: SealIdentity, field: str, *, x: float = 320, page: int = -1) -> SealPlacement:
    return SealPlacement(
        identity=who, page=page, box=(x, 90, x + 110, 200), field_name=field, reason="评审结果"
    )


def pdfsig(pdf: bytes, tmp_path: Path, *nss: str) -> str:
    path = tmp_path / "sealed.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdfsig", *nss, str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    return result.stdout


def test_sealed_pdf_validates_against_the_test_ca(seal_settings, plain_pdf):
    committee = identity(seal_settings, COMMITTEE_NAME, "committee-1", kind=COMMITTEE, seal_line="评审专用章")

    sealed = pdf_seal(plain_pdf, [placement(committee, "seal_committee")])

    assert sealed.startswith(plain_pdf)  # an incremental update: the original bytes stay
    checks = pdf_seal_check(sealed)
    assert [(c.field_name, c.signer, c.intact, c.valid, c.trusted, c.covers_whole_file) for c in checks] == [
        ("seal_committee", COMMITTEE_NAME, True, True, True, True)
    ]
    assert checks[0].reason == "评审结果"
    assert checks[0].signed_at is not None
    explicit = pdf_seal_check(sealed, trust_roots=[seal_settings.ca_pem])
    assert [c.valid for c in explicit] == [True]


def test_seal_is_a_pades_signature_with_the_chain(seal_settings, plain_pdf):
    who = identity(seal_settings, APPROVAL_NAME, "organisation-X", credit_code="11500000MB0000000X")

    sealed = pdf_seal(plain_pdf, [placement(who, "seal_approval")])

    sig = PdfFileReader(io.BytesIO(sealed)).embedded_signatures[0]
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    embedded = [choice.chosen for choice in sig.signed_data["certificates"]]
    assert {cert.subject.native["common_name"] for cert in embedded} == {APPROVAL_NAME, "zhicheng test CA"}


def test_changed_byte_after_sealing_fails(seal_settings, plain_pdf, tmp_path):
    who = identity(seal_settings, APPROVAL_NAME, "organisation-X")
    sealed = bytearray(pdf_seal(plain_pdf, [placement(who, "seal_approval")]))
    # A byte inside the first content stream of the original document.
    at = sealed.index(b"stream", sealed.index(b"/Length")) + 20
    sealed[at] ^= 0x01

    checks = pdf_seal_check(bytes(sealed))

    assert [(c.intact, c.valid) for c in checks] == [(False, False)]
    assert "Signature is Valid" not in pdfsig(bytes(sealed), tmp_path)


def test_content_appended_after_sealing_is_not_valid(seal_settings, plain_pdf):
    """A revision that changes the page after the seal keeps the bytes intact but is caught."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    who = identity(seal_settings, APPROVAL_NAME, "organisation-X")
    sealed = pdf_seal(plain_pdf, [placement(who, "seal_approval")])
    writer = IncrementalPdfFileWriter(io.BytesIO(sealed))
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 700 Td (FORGED) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = io.BytesIO()
    writer.write(out)

    checks = pdf_seal_check(out.getvalue())

    assert [(c.intact, c.covers_whole_file, c.valid) for c in checks] == [(True, False, False)]


def test_two_seals_on_one_page_both_validate(seal_settings, plain_pdf, tmp_path):
    committee = identity(seal_settings, COMMITTEE_NAME, "committee-1", kind=COMMITTEE, seal_line="评审专用章")
    approval = identity(seal_settings, APPROVAL_NAME, "organisation-X")

    sealed = pdf_seal(
        plain_pdf,
        [placement(committee, "seal_committee", x=200), placement(approval, "seal_approval", x=360)],
    )

    checks = pdf_seal_check(sealed)
    assert [(c.field_name, c.signer, c.valid, c.covers_whole_file) for c in checks] == [
        ("seal_committee", COMMITTEE_NAME, True, False),
        ("seal_approval", APPROVAL_NAME, True, True),
    ]
    report = pdfsig(sealed, tmp_path)
    assert report.count("Signature Validation: Signature is Valid.") == 2
    assert "Total document signed" in report


def test_pdfsig_reports_each_seal_valid(seal_settings, plain_pdf, tmp_path):
    """Poppler checks the signatures the way a PDF reader does (the dev CA is not trusted there)."""
    committee = identity(seal_settings, COMMITTEE_NAME, "committee-1", kind=COMMITTEE)
    approval = identity(seal_settings, APPROVAL_NAME, "organisation-X")

    sealed = pdf_seal(
        plain_pdf,
        [placement(committee, "seal_committee", page=1), placement(approval, "seal_approval", page=0)],
    )

    report = pdfsig(sealed, tmp_path)
    assert report.count("Signature Validation: Signature is Valid.") == 2
    assert f"Signer Certificate Common Name: {COMMITTEE_NAME}" in report
    assert f"Signer Certificate Common Name: {APPROVAL_NAME}" in report
    assert "Signature Type: ETSI.CAdES.detached" in report
    assert "Certificate Validation: Certificate issuer isn't Trusted." in report  # not in poppler's roots


@pytest.mark.skipif(shutil.which("certutil") is None, reason="certutil (libnss3-tools) is not installed")
def test_pdfsig_trusts_the_seal_once_the_ca_is_trusted(seal_settings, plain_pdf, tmp_path):
    """What a reader shows after the operator trusts the CA (NSS database, as Firefox/Evince)."""
    who = identity(seal_settings, APPROVAL_NAME, "organisation-X")
    sealed = pdf_seal(plain_pdf, [placement(who, "seal_approval")])
    nss = tmp_path / "nss"
    nss.mkdir()
    for args in (
        ["-N", "--empty-password"],
        # Trusted as an issuer for TLS, e-mail/document signing and code signing.
        ["-A", "-n", "seal-ca", "-t", "C,C,C", "-i", str(seal_settings.test_ca.cert_file)],
    ):
        subprocess.run(["certutil", "-d", f"sql:{nss}", *args], check=True, capture_output=True, timeout=60)

    report = pdfsig(sealed, tmp_path, "-nssdir", f"sql:{nss}")

    assert "Signature Validation: Signature is Valid." in report
    assert "Certificate Validation: Certificate is Trusted." in report


def test_seal_from_another_ca_is_not_trusted(seal_settings, plain_pdf):
    other = devca.ca_create(common_name="other CA")
    path = seal_settings.keys_dir / "organisation-other.p12"
    key, cert = devca.seal_certificate_issue(other, holder_name="冒名机构", key=seal_settings.test_ca.key())
    path.write_bytes(devca.p12_bytes(key, cert, other.cert, password=seal_settings.password))
    who = SealIdentity(kind=ORGANISATION, holder_name="冒名机构", key_file=path)

    sealed = pdf_seal(plain_pdf, [placement(who, "seal_other")])

    assert [(c.intact, c.trusted, c.valid) for c in pdf_seal_check(sealed)] == [(True, False, False)]
    assert [c.valid for c in pdf_seal_check(sealed, trust_roots=[other.cert_pem])] == [True]


def test_missing_key_is_seal_not_configured(seal_settings, plain_pdf):
    present = identity(seal_settings, APPROVAL_NAME, "organisation-X")
    missing = SealIdentity(
        kind=COMMITTEE, holder_name=COMMITTEE_NAME, key_file=seal_settings.keys_dir / "committee-9.p12"
    )

    with pytest.raises(SealNotConfigured) as exc:
        pdf_seal(plain_pdf, [placement(present, "seal_a"), placement(missing, "seal_b", x=100)])

    assert exc.value.code == "seal_not_configured"
    assert isinstance(exc.value, ServiceError)
    assert "committee-9.p12" in str(exc.value.message)
    assert exc.value.path == missing.key_file
    assert not missing.configured and present.configured
    with pytest.raises(SealNotConfigured):
        seal_identity_require(missing)


def test_wrong_password_is_seal_not_configured(seal_settings, settings, plain_pdf):
    who = identity(seal_settings, APPROVAL_NAME, "organisation-X")
    settings.SEAL_P12_PASSWORD = "not-the-password"

    with pytest.raises(SealNotConfigured) as exc:
        pdf_seal(plain_pdf, [placement(who, "seal_approval")])

    assert "organisation-X.p12" in str(exc.value.message)


def test_bad_placements_are_refused(seal_settings, plain_pdf):
    who = identity(seal_settings, APPROVAL_NAME, "organisation-X")
    cases = [
        ([placement(who, "seal_a", page=2)], "seal_page_missing"),
        ([placement(who, "seal_a"), placement(who, "seal_a", x=100)], "seal_field_exists"),
        ([placement(who, "seal.a")], "seal_field_name"),
        ([SealPlacement(who, 0, (100, 100, 50, 200), "seal_a", "")], "seal_box"),
    ]
    for placements, code in cases:
        with pytest.raises(ServiceError) as exc:
            pdf_seal(plain_pdf, placements)
        assert exc.value.code == code

    sealed = pdf_seal(plain_pdf, [placement(who, "seal_a")])
    with pytest.raises(ServiceError) as exc:
        pdf_seal(sealed, [placement(who, "seal_a", x=100)])
    assert exc.value.code == "seal_field_exists"
    with pytest.raises(ServiceError) as exc:
        pdf_seal(b"not a pdf", [placement(who, "seal_a")])
    assert exc.value.code == "seal_pdf_unreadable"


def test_no_placements_leaves_the_pdf_alone(plain_pdf):
    assert pdf_seal(plain_pdf, []) == plain_pdf


def test_seal_check_of_unsigned_or_unreadable_pdf_is_empty(seal_settings, plain_pdf):
    assert pdf_seal_check(plain_pdf) == []
    assert pdf_seal_check(b"garbage") == []


def test_loaded_signer_is_reused_until_the_key_file_changes(seal_settings, plain_pdf):
    first = identity(seal_settings, "甲机构", "organisation-X")
    signer = _signer(first)
    assert _signer(first) is signer

    second = identity(seal_settings, "乙机构", "organisation-X")  # replaces the same file
    stat = second.key_file.stat()
    os.utime(second.key_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))

    assert _signer(second) is not signer
    sealed = pdf_seal(plain_pdf, [placement(second, "seal_x")])
    assert [c.signer for c in pdf_seal_check(sealed)] == ["乙机构"]


def _seal_image_sizes(pdf: bytes) -> list[tuple[int, int]]:
    """Width and height of every image drawn in a signature field's appearance."""
    sizes = []

    def walk(xobject) -> None:
        if xobject.get("/Subtype") == "/Image":
            sizes.append((int(xobject["/Width"]), int(xobject["/Height"])))
            return
        for child in xobject.get("/Resources", {}).get("/XObject", {}).values():
            walk(child.get_object())

    for sig in PdfFileReader(io.BytesIO(pdf)).embedded_signatures:
        walk(sig.sig_field["/AP"]["/N"].get_object())
    return sizes


def test_seal_image_beside_the_key_is_used(seal_settings, plain_pdf):
    who = identity(seal_settings, APPROVAL_NAME, "organisation-X")
    Image.new("RGBA", (120, 100), (200, 0, 0, 255)).save(who.image_file)

    sealed = pdf_seal(plain_pdf, [placement(who, "seal_approval")])

    assert _seal_image_sizes(sealed) == [(120, 100)]


def test_seal_is_visible_in_its_box(seal_settings, plain_pdf, tmp_path):
    who = identity(seal_settings, COMMITTEE_NAME, "committee-1", kind=COMMITTEE, seal_line="评审专用章")
    sealed = pdf_seal(plain_pdf, [placement(who, "seal_committee", x=300, page=0)])
    (tmp_path / "s.pdf").write_bytes(sealed)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "72",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(tmp_path / "s.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
        timeout=60,
    )

    page = Image.open(tmp_path / "p.png").convert("RGB")
    # The box (300, 90)-(410, 200) in PDF points is at 72 dpi these pixels, from the top.
    inside = page.crop((300, page.height - 200, 410, page.height - 90))
    outside = page.crop((100, page.height - 200, 210, page.height - 90))

    def red(img: Image.Image) -> int:
        data = img.tobytes()
        return sum(
            1 for i in range(0, len(data), 3) if data[i] > 150 and data[i + 1] < 110 and data[i + 2] < 110
        )

    assert red(inside) > 500
    assert red(outside) == 0
    assert _seal_image_sizes(sealed) == [(480, 480)]
    widget = PdfFileReader(io.BytesIO(sealed)).embedded_signatures[0].sig_field
    assert int(widget["/F"]) & 4  # the Print flag: the seal is on the printed page too (R8.4)


def test_seal_image_is_red_and_round():
    image = seal_image_draw(COMMITTEE_NAME, bottom_text="评审专用章", size=200)

    assert image.mode == "RGBA" and image.size == (200, 200)
    alpha = image.getchannel("A")
    assert alpha.getbbox() is not None
    assert {image.getpixel((x, y))[:3] for x in range(0, 200, 7) for y in range(0, 200, 7)} == {(220, 20, 30)}
    assert alpha.getpixel((100, 5)) > 0 and alpha.getpixel((1, 1)) == 0  # the ring, not the corner
    assert seal_image_png("测试机构").startswith(b"\x89PNG")
    assert "CJK" in cjk_font_file()[0]


def test_identity_file_names(db, settings, tmp_path):
    settings.SEAL_KEYS_DIR = tmp_path
    with_code = OrganisationFactory(kind=OrgKind.APPROVAL_BODY, credit_code="11500000mb1234567x")
    without = OrganisationFactory(kind=OrgKind.COMMITTEE_HOST)
    committee = setup_make().committee

    assert (
        seal_identity_for_organisation(with_code).key_file == tmp_path / "organisation-11500000MB1234567X.p12"
    )
    assert seal_identity_for_organisation(with_code).credit_code == "11500000MB1234567X"
    assert seal_identity_for_organisation(without).key_file == tmp_path / f"organisation-id{without.pk}.p12"
    committee_identity = seal_identity_for_committee(committee)
    assert committee_identity.key_file == tmp_path / f"committee-{committee.pk}.p12"
    assert committee_identity.image_file == tmp_path / f"committee-{committee.pk}.png"
    assert (committee_identity.holder_name, committee_identity.organisation_name) == (
        committee.name,
        committee.host.name,
    )


def test_seal_dev_ca_issues_every_seal_once(db, seal_settings, plain_pdf):
    setup = setup_make()
    unit = OrganisationFactory(kind=OrgKind.UNIT)
    out = io.StringIO()

    call_command("seal_dev_ca", stdout=out)

    files = {p.name for p in seal_settings.keys_dir.iterdir()}
    committee = seal_identity_for_committee(setup.committee)
    host = seal_identity_for_organisation(setup.host)
    approval = seal_identity_for_organisation(setup.committee.approval_body)
    assert {
        "ca.pem",
        "ca-key.pem",
        committee.key_file.name,
        host.key_file.name,
        approval.key_file.name,
    } <= files
    assert seal_identity_for_organisation(unit).key_file.name not in files
    assert (seal_settings.keys_dir / "ca-key.pem").stat().st_mode & 0o077 == 0
    mtimes = {p.name: p.stat().st_mtime_ns for p in seal_settings.keys_dir.iterdir()}

    out = io.StringIO()
    call_command("seal_dev_ca", stdout=out)
    assert "0 issued" in out.getvalue()
    assert {p.name: p.stat().st_mtime_ns for p in seal_settings.keys_dir.iterdir()} == mtimes

    sealed = pdf_seal(
        plain_pdf, [placement(committee, "seal_committee"), placement(approval, "seal_approval", x=150)]
    )
    dev_ca = (seal_settings.keys_dir / "ca.pem").read_bytes()
    assert [c.valid for c in pdf_seal_check(sealed, trust_roots=[dev_ca])] == [True, True]
    assert [c.valid for c in pdf_seal_check(sealed)] == [False, False]  # the test CA is another CA

    call_command("seal_dev_ca", "--force", stdout=io.StringIO())
    assert (seal_settings.keys_dir / "ca.pem").read_bytes() != dev_ca
    assert [c.valid for c in pdf_seal_check(sealed, trust_roots=[dev_ca])] == [True, True]


def test_seal_dev_ca_leaves_real_keys_and_a_real_ca_alone(db, seal_settings):
    setup = setup_make()
    real_ca = devca.ca_create(common_name="某电子认证服务机构根CA", organisation="Real CA Ltd")
    committee = seal_identity_for_committee(setup.committee)
    key, cert = devca.seal_certificate_issue(real_ca, holder_name=committee.holder_name)
    committee.key_file.write_bytes(devca.p12_bytes(key, cert, real_ca.cert, password=seal_settings.password))
    before = committee.key_file.read_bytes()
    out = io.StringIO()

    call_command("seal_dev_ca", "--force", stdout=out)

    assert committee.key_file.read_bytes() == before
    assert f"Left alone {committee.key_file}" in out.getvalue()
    assert seal_identity_for_organisation(setup.host).configured

    (seal_settings.keys_dir / "ca.pem").write_bytes(real_ca.cert_pem)
    with pytest.raises(CommandError, match="not a development CA"):
        call_command("seal_dev_ca", "--force", stdout=io.StringIO())
    assert (seal_settings.keys_dir / "ca.pem").read_bytes() == real_ca.cert_pem


def test_long_chinese_name_is_kept_whole_in_the_certificate(seal_settings, plain_pdf, tmp_path):
    name = "重庆市数字技术工程技术人才职称评审委员会（组建单位：重庆市大数据应用发展管理局）"  # 40 characters
    who = identity(seal_settings, name, "organisation-long")

    sealed = pdf_seal(plain_pdf, [placement(who, "seal_long")])

    assert [(c.signer, c.valid) for c in pdf_seal_check(sealed)] == [(name, True)]
    assert f"Signer Certificate Common Name: {name}" in pdfsig(sealed, tmp_path)


def test_configured_trust_roots_may_list_several_files(seal_settings, settings, plain_pdf, tmp_path):
    old_root = devca.ca_create(common_name="old root", organisation="Real CA Ltd")
    (tmp_path / "old.pem").write_bytes(old_root.cert_pem)
    who = identity(seal_settings, APPROVAL_NAME, "organisation-X")
    sealed = pdf_seal(plain_pdf, [placement(who, "seal_approval")])

    settings.SEAL_TRUST_ROOTS = [str(tmp_path / "missing.pem"), str(tmp_path / "old.pem")]
    assert [c.valid for c in pdf_seal_check(sealed)] == [False]

    settings.SEAL_TRUST_ROOTS = [str(tmp_path / "old.pem"), str(seal_settings.test_ca.cert_file)]
    assert [c.valid for c in pdf_seal_check(sealed)] == [True]


def test_signing_certificate_attribute_is_encoded_once_and_names_the_signer(seal_settings, plain_pdf):
    import hashlib

    who = identity(seal_settings, APPROVAL_NAME, "organisation-Y", credit_code="11500000MB0000001X")

    first = pdf_seal(plain_pdf, [placement(who, "seal_one")])
    second = pdf_seal(plain_pdf, [placement(who, "seal_two")])

    signer = _signer(who)
    assert signer._signing_certificate_v2 is signer._signing_certificate_v2  # kept with the signer
    for sealed in (first, second):
        sig = PdfFileReader(io.BytesIO(sealed)).embedded_signatures[0]
        attrs = {a["type"].native: a["values"][0] for a in sig.signer_info["signed_attrs"]}
        assert set(attrs) == {"content_type", "message_digest", "signing_certificate_v2"}
        (ess,) = attrs["signing_certificate_v2"]["certs"]
        assert ess["cert_hash"].native == hashlib.sha256(sig.signer_cert.dump()).digest()
        assert ess["issuer_serial"]["serial_number"].native == sig.signer_cert.serial_number
    assert [c.valid for c in pdf_seal_check(first) + pdf_seal_check(second)] == [True, True]
