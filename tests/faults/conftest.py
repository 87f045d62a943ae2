"""Fixtures of the fault tests: the certificates suite's seal fixtures (a worker seals PDFs)."""

from tests.certificates.conftest import seal_settings, seal_test_ca  # noqa: F401
