"""A development certificate authority for electronic seals (docs/seals.md).

Production keys come from a trusted CA (an operator places the PKCS#12 files in
``SEAL_KEYS_DIR``); this module makes stand-ins so that a development machine and the
test suite seal real, verifiable PDF signatures: one CA (``ca.pem`` + ``ca-key.pem``)
and one PKCS#12 file per sealing identity, chaining to it.
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

CA_CERT_FILE = "ca.pem"
CA_KEY_FILE = "ca-key.pem"
DEV_CA_NAME = "数字技术职称平台开发测试CA（不受信任）"
# The CA's O: how the command recognises what it made and may replace.
DEV_CA_ORGANISATION = "zhicheng development"
CA_VALIDITY = dt.timedelta(days=3650)
SEAL_VALIDITY = dt.timedelta(days=3 * 365)
# Clocks of the machines that check a seal may lag the one that issued the certificate.
BACKDATE = dt.timedelta(days=1)
KEY_SIZE = 2048


@dataclass(frozen=True)
class DevCA:
    """The CA's key and certificate, as loaded from or written to a directory."""

    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


class DevCARefused(Exception):
    """The keys directory holds a CA that this module did not make: leave it alone."""


@dataclass
class IssueReport:
    """What ``ensure_dev_identities`` did, file names per outcome."""

    ca_created: bool = False
    issued: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    # Keys that do not open with the password or were issued by another CA (real keys).
    left_alone: list[str] = field(default_factory=list)


def _attribute(oid: x509.ObjectIdentifier, value: str) -> x509.NameAttribute:
    """A name attribute of at most 64 characters (X.520's upper bound for CN and O).

    The bound counts characters; cryptography checks UTF-8 bytes, which would cut a
    Chinese name at 21 characters, so the check is relaxed for longer encodings.
    """
    value = value[:64]
    if len(value.encode()) <= 64:
        return x509.NameAttribute(oid, value)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return x509.NameAttribute(oid, value, _validate=False)


def _common_name(cert: x509.Certificate) -> str | None:
    """The subject's CN (read quietly: a long one made by _attribute warns again when parsed)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else None


def _now() -> dt.datetime:
    return dt.datetime.now(tz=dt.UTC)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` readable by the owner only (the file holds a private key)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    # Replace atomically: a process sealing at the same time sees the old or the new file.
    os.replace(tmp, path)


def ca_create(*, common_name: str = DEV_CA_NAME, organisation: str = DEV_CA_ORGANISATION) -> DevCA:
    """Make a new self-signed CA certificate and key (in memory)."""
    key = _new_key()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            _attribute(NameOID.ORGANIZATION_NAME, organisation),
            _attribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = _now()
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + CA_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .sign(key, hashes.SHA256())
    )
    return DevCA(key=key, cert=cert)


def ca_write(ca: DevCA, directory: Path) -> None:
    """Store the CA as ``ca.pem`` (public) and ``ca-key.pem`` (owner-only) in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    key_pem = ca.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    _write_private(directory / CA_KEY_FILE, key_pem)
    cert_path = directory / CA_CERT_FILE
    tmp = cert_path.with_name(cert_path.name + ".tmp")
    tmp.write_bytes(ca.cert_pem)
    os.replace(tmp, cert_path)


def _made_here(cert: x509.Certificate, *, issuer: bool = False) -> bool:
    """Whether this module made ``cert`` (or, with ``issuer``, its issuer): the CA's O."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        name = cert.issuer if issuer else cert.subject
        organisations = [a.value for a in name.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    return organisations == [DEV_CA_ORGANISATION]


def ca_load(directory: Path) -> DevCA | None:
    """The development CA stored in ``directory``, or None when there is none.

    Raises DevCARefused when ``ca.pem`` is a certificate this module did not make (an
    operator's real root): it is neither used nor replaced.
    """
    cert_path, key_path = directory / CA_CERT_FILE, directory / CA_KEY_FILE
    if cert_path.exists():
        try:
            cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        except ValueError as exc:
            raise DevCARefused(f"{cert_path} is not a PEM certificate; not replacing it") from exc
        if not _made_here(cert):
            raise DevCARefused(f"{cert_path} is not a development CA ({cert.subject.rfc4514_string()})")
    if not (cert_path.exists() and key_path.exists()):
        return None
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError(f"{key_path}: not an RSA key")
    return DevCA(key=key, cert=x509.load_pem_x509_certificate(cert_path.read_bytes()))


def seal_certificate_issue(
    ca: DevCA,
    *,
    holder_name: str,
    organisation: str | None = None,
    credit_code: str | None = None,
    key: rsa.RSAPrivateKey | None = None,
    validity: dt.timedelta = SEAL_VALIDITY,
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """Make a key and a seal (document-signing) certificate for ``holder_name`` signed by ``ca``.

    The subject's CN is the holder (what a PDF reader shows as the signer), O the
    organisation it belongs to (itself, or a committee's host).
    """
    key = key or _new_key()
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        _attribute(NameOID.ORGANIZATION_NAME, organisation or holder_name),
    ]
    if credit_code:
        # ETSI EN 319 412-1 legal-person identifier: NTR (national trade register) + country.
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, f"NTRCN-{credit_code}"))
    attributes.append(_attribute(NameOID.COMMON_NAME, holder_name))
    now = _now()
    ca_ski = ca.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(min(now + validity, ca.cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation: what pyHanko asks of a signer
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca.key, hashes.SHA256())
    )
    return key, cert


def p12_bytes(
    key: rsa.RSAPrivateKey, cert: x509.Certificate, ca_cert: x509.Certificate, *, password: str
) -> bytes:
    """A PKCS#12 archive of the key, its certificate and the CA certificate (the chain)."""
    return pkcs12.serialize_key_and_certificates(
        name=(_common_name(cert) or "seal").encode(),
        key=key,
        cert=cert,
        cas=[ca_cert],
        encryption_algorithm=serialization.BestAvailableEncryption(password.encode()),
    )


def seal_p12_write(
    ca: DevCA,
    path: Path,
    *,
    password: str,
    holder_name: str,
    organisation: str | None = None,
    credit_code: str | None = None,
) -> None:
    """Issue a seal certificate for ``holder_name`` and store it with its key at ``path``."""
    key, cert = seal_certificate_issue(
        ca, holder_name=holder_name, organisation=organisation, credit_code=credit_code
    )
    _write_private(path, p12_bytes(key, cert, ca.cert, password=password))


def p12_matches(path: Path, ca: DevCA, *, password: str, holder_name: str) -> bool:
    """Whether the PKCS#12 at ``path`` opens, is issued by ``ca`` to ``holder_name`` and is current."""
    try:
        _key, cert, _others = pkcs12.load_key_and_certificates(path.read_bytes(), password.encode())
    except (OSError, ValueError):
        return False
    if cert is None:
        return False
    try:
        cert.verify_directly_issued_by(ca.cert)
    except (ValueError, TypeError, x509.InvalidSignature):
        return False
    current = cert.not_valid_after_utc > _now() + dt.timedelta(days=30)
    return current and _common_name(cert) == holder_name[:64]


def _issued_elsewhere(path: Path, *, password: str) -> bool:
    """Whether the PKCS#12 at ``path`` must be left alone: unreadable, or not a dev seal."""
    try:
        _key, cert, _others = pkcs12.load_key_and_certificates(path.read_bytes(), password.encode())
    except (OSError, ValueError):
        return True
    return cert is None or not _made_here(cert, issuer=True)


def ensure_dev_identities(*, keys_dir: Path, password: str, force: bool = False) -> IssueReport:
    """Create the dev CA and a seal for every committee, approval body and committee host.

    Idempotent: an existing PKCS#12 that opens with ``password``, chains to the CA and
    names the holder is kept; ``force`` makes a new CA and reissues every dev seal. A
    key this module did not issue (an operator's real key, or one it cannot open) is
    never replaced, and a real CA in ``ca.pem`` stops the command (DevCARefused).
    """
    from certificates.seals import seal_identities_all  # reads the models: Django must be ready

    report = IssueReport()
    ca = ca_load(keys_dir)  # refuses a foreign ca.pem, also with force
    if ca is None or force:
        ca = ca_create()
        ca_write(ca, keys_dir)
        report.ca_created = True
    for identity in seal_identities_all():
        path = identity.key_file
        if path.exists() and _issued_elsewhere(path, password=password):
            report.left_alone.append(path.name)
            continue
        if (
            not report.ca_created
            and path.exists()
            and p12_matches(path, ca, password=password, holder_name=identity.holder_name)
        ):
            report.kept.append(path.name)
            continue
        seal_p12_write(
            ca,
            path,
            password=password,
            holder_name=identity.holder_name,
            organisation=identity.organisation_name,
            credit_code=identity.credit_code,
        )
        report.issued.append(path.name)
    return report
