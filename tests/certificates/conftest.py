"""Seal fixtures: a session-wide test CA and settings that point the seals at it.

Usage in a test that seals PDFs::

    def test_something(seal_settings, ...):
        seal_settings.issue(committee)          # or an Organisation, or seal_settings.issue_all()
        pdf = pdf_seal(pdf, [SealPlacement(seal_identity_for_committee(committee), ...)])
        assert all(c.valid for c in pdf_seal_check(pdf))   # default roots: the test CA
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from accounts.models import Organisation
from certificates import devca
from certificates.seals import (
    SealIdentity,
    seal_identities_all,
    seal_identity_for_committee,
    seal_identity_for_organisation,
)
from committees.models import Committee

TEST_SEAL_PASSWORD = "test-seal-password"
_KEY_POOL_SIZE = 4


@dataclass
class SealTestCA:
    """The CA of a test session, stored in ``directory`` (``ca.pem``, ``ca-key.pem``)."""

    ca: devca.DevCA
    directory: Path
    # RSA key generation is the slow part of issuing; tests may share keys between holders.
    keys: list[rsa.RSAPrivateKey] = field(default_factory=list)
    _next: Iterator[int] = field(default_factory=itertools.count)

    @property
    def cert_file(self) -> Path:
        return self.directory / devca.CA_CERT_FILE

    @property
    def cert_pem(self) -> bytes:
        return self.ca.cert_pem

    def key(self) -> rsa.RSAPrivateKey:
        n = next(self._next)
        if len(self.keys) < _KEY_POOL_SIZE:
            self.keys.append(rsa.generate_private_key(public_exponent=65537, key_size=devca.KEY_SIZE))
        return self.keys[n % len(self.keys)]


@dataclass
class SealSettings:
    """Settings pointing at a per-test keys directory whose seals chain to the test CA."""

    test_ca: SealTestCA
    keys_dir: Path
    password: str

    @property
    def ca_pem(self) -> bytes:
        return self.test_ca.cert_pem

    def issue(self, holder: Organisation | Committee | SealIdentity) -> SealIdentity:
        """Write a PKCS#12 seal key for ``holder`` (an organisation, a committee or an identity)."""
        if isinstance(holder, Organisation):
            identity = seal_identity_for_organisation(holder)
        elif isinstance(holder, Committee):
            identity = seal_identity_for_committee(holder)
        else:
            identity = holder
        key, cert = devca.seal_certificate_issue(
            self.test_ca.ca,
            holder_name=identity.holder_name,
            organisation=identity.organisation_name,
            credit_code=identity.credit_code,
            key=self.test_ca.key(),
        )
        identity.key_file.parent.mkdir(parents=True, exist_ok=True)
        identity.key_file.write_bytes(
            devca.p12_bytes(key, cert, self.test_ca.ca.cert, password=self.password)
        )
        return identity

    def issue_all(self) -> list[SealIdentity]:
        """Issue a seal for every committee, approval body and committee host in the database."""
        return [self.issue(identity) for identity in seal_identities_all()]


@pytest.fixture(scope="session")
def seal_test_ca(tmp_path_factory: pytest.TempPathFactory) -> SealTestCA:
    """A CA made once per test session."""
    directory = tmp_path_factory.mktemp("seal-ca")
    ca = devca.ca_create(common_name="zhicheng test CA")
    devca.ca_write(ca, directory)
    return SealTestCA(ca=ca, directory=directory)


@pytest.fixture
def seal_settings(settings, seal_test_ca: SealTestCA, tmp_path: Path) -> SealSettings:
    """SEAL_* settings for one test: an empty keys directory, the test CA as the trust root."""
    keys_dir = tmp_path / "seals"
    keys_dir.mkdir()
    settings.SEAL_KEYS_DIR = keys_dir
    settings.SEAL_TRUST_ROOTS = [str(seal_test_ca.cert_file)]
    settings.SEAL_P12_PASSWORD = TEST_SEAL_PASSWORD
    return SealSettings(test_ca=seal_test_ca, keys_dir=keys_dir, password=TEST_SEAL_PASSWORD)
