"""Fixtures of the security tests: the seal fixtures, for worlds that issue certificates."""

from tests.certificates.conftest import seal_settings, seal_test_ca  # noqa: F401 - fixtures
