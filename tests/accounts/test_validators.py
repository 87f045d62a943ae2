"""The resident ID number (GB 11643-1999), its mask, and phone numbers (R3.1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accounts.validators import (
    id_number_check_digit,
    mask_id_number,
    normalise_id_number,
    validate_id_number,
    validate_phone,
)


def with_check_digit(first17: str) -> str:
    return first17 + id_number_check_digit(first17)


def error_code(validator, value: str) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        validator(value)
    return caught.value.code


def test_id_number_check_digit_matches_the_standard_example():
    # The worked example of GB 11643-1999.
    assert id_number_check_digit("11010519491231002") == "X"


@pytest.mark.parametrize(
    "value",
    [
        "500103198805170015",  # 渝中区, born 1988-05-17
        "50010719880517007X",  # check character X
        "500112200002290028",  # born on a leap day
        "11010519491231002X",  # the worked example of GB 11643-1999
    ],
)
def test_validate_id_number_valid_accepted(value):
    assert validate_id_number(value) is None


def test_validate_id_number_examples_have_correct_check_digits():
    assert with_check_digit("50010319880517001") == "500103198805170015"
    assert with_check_digit("50010719880517007") == "50010719880517007X"
    assert with_check_digit("50011220000229002") == "500112200002290028"


def test_validate_id_number_lower_case_x_accepted_and_normalised():
    assert validate_id_number("50010719880517007x") is None
    assert normalise_id_number(" 50010719880517007x ") == "50010719880517007X"


def test_validate_id_number_wrong_check_digit_refused():
    assert error_code(validate_id_number, "500103198805170012") == "id_number_check_digit"
    assert error_code(validate_id_number, "500107198805170070") == "id_number_check_digit"


@pytest.mark.parametrize(
    "value",
    ["50010319880517001", "5001031988051700151", "", "500103880517001"],
    ids=["17-chars", "19-chars", "empty", "15-digit-old-format"],
)
def test_validate_id_number_wrong_length_refused(value):
    assert error_code(validate_id_number, value) == "id_number_format"


@pytest.mark.parametrize(
    "value",
    ["50010319880517A013", "5001031988O5170013", "500103198805170Y13", "50010319880517001Y"],
)
def test_validate_id_number_letters_refused(value):
    assert error_code(validate_id_number, value) == "id_number_format"


@pytest.mark.parametrize("birth", ["19990231", "19881301", "19880500", "20230229"])
def test_validate_id_number_impossible_birth_date_refused(birth):
    value = with_check_digit(f"500103{birth}001")
    assert error_code(validate_id_number, value) == "id_number_birth_date"


def test_validate_id_number_future_birth_date_refused():
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    value = with_check_digit(f"500103{tomorrow:%Y%m%d}001")
    assert error_code(validate_id_number, value) == "id_number_birth_date"


def test_validate_id_number_birth_before_1900_refused():
    value = with_check_digit("50010318991231001")
    assert error_code(validate_id_number, value) == "id_number_birth_date"


def test_validate_id_number_born_today_accepted():
    value = with_check_digit(f"500103{dt.date.today():%Y%m%d}001")
    assert validate_id_number(value) is None


def test_mask_id_number_keeps_first_six_and_last_four():
    assert mask_id_number("500103198805170015") == "500103********0015"
    assert mask_id_number("50010719880517007X") == "500107********007X"


@pytest.mark.parametrize("value", ["", "123456789"])
def test_mask_id_number_short_value_unchanged(value):
    assert mask_id_number(value) == value


@pytest.mark.parametrize(
    "value",
    ["13983010001", "19912345678", "023-63891234", "02363891234", "023-63891234-801", "0851-8123456"],
)
def test_validate_phone_valid_accepted(value):
    assert validate_phone(value) is None


@pytest.mark.parametrize(
    "value",
    ["12345678901", "1398301000", "139830100012", "63891234", "023-638912", "phone", ""],
    ids=["starts-12", "10-digits", "12-digits", "no-area-code", "short-landline", "letters", "empty"],
)
def test_validate_phone_invalid_refused(value):
    assert error_code(validate_phone, value) == "phone_format"
