"""Certificate numbers: format, check character, normalising typed input, reserving."""

from __future__ import annotations

import pytest

from accounts.validators import id_number_check_digit
from certificates.models import CertificateSerial
from certificates.numbers import (
    format_number,
    mod11_2,
    normalise_number,
    number_is_well_formed,
    number_reserve,
)


def test_format_number_example():
    assert format_number(2024, "engineer", 123) == "CQSZ2024-3-000123-7"


@pytest.mark.parametrize(
    ("level", "digit"),
    [
        ("technician", "1"),
        ("assistant_engineer", "2"),
        ("engineer", "3"),
        ("senior_engineer", "4"),
        ("professor_engineer", "5"),
    ],
)
def test_format_number_level_digit(level, digit):
    assert format_number(2025, level, 1).split("-")[1] == digit


def test_mod11_2_matches_resident_id_check_digit():
    for first17 in ("11010519491231002", "50010319880517001", "44052418800101001"):
        assert mod11_2(first17) == id_number_check_digit(first17)


def test_number_is_well_formed_catches_typo_and_swap():
    good = format_number(2024, "senior_engineer", 4567)
    assert number_is_well_formed(good)
    typo = good[:12] + ("1" if good[12] != "1" else "2") + good[13:]
    swapped = good[:13] + good[14] + good[13] + good[15:]
    assert good[13] != good[14]
    assert not number_is_well_formed(typo)
    assert not number_is_well_formed(swapped)


def test_normalise_number_accepts_typed_forms():
    assert normalise_number(" cqsz2024-3-000123-7 ") == "CQSZ2024-3-000123-7"
    assert normalise_number("CQSZ20243000123 7") == "CQSZ2024-3-000123-7"
    assert normalise_number("CQSZ2024－3－000123－7") == "CQSZ2024-3-000123-7"


def test_format_number_refuses_out_of_range_serial():
    with pytest.raises(ValueError):
        format_number(2024, "engineer", 0)
    with pytest.raises(ValueError):
        format_number(2024, "engineer", 1_000_000)


def test_number_reserve_counts_per_year_and_level(db):
    assert number_reserve(year=2024, level="engineer").startswith("CQSZ2024-3-000001-")
    assert number_reserve(year=2024, level="engineer").startswith("CQSZ2024-3-000002-")
    assert number_reserve(year=2024, level="senior_engineer").startswith("CQSZ2024-4-000001-")
    assert number_reserve(year=2025, level="engineer").startswith("CQSZ2025-3-000001-")
    assert CertificateSerial.objects.get(year=2024, level="engineer").last == 2
