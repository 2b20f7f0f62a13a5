import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kinerja.organisations.nip import make_nip
from kinerja.organisations.validators import parse_nip, validate_region_code


def test_parse_nip_splits_a_pns_number():
    parts = parse_nip("198503142010011002")
    assert parts.birth_date == dt.date(1985, 3, 14)
    assert (parts.appointment_year, parts.appointment_month) == (2010, 1)
    assert parts.sex == "m"
    assert parts.sequence == 2


def test_parse_nip_reads_sex_two_as_female():
    assert parse_nip("199012312015052001").sex == "f"


@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("19850314201001100", "nip_format"),  # 17 digits
        ("1985031420100110023", "nip_format"),  # 19 digits
        ("19850314201001100A", "nip_format"),
        ("198502302010011002", "nip_birth_date"),  # 30 February
        ("198513012010011002", "nip_birth_date"),  # month 13
        ("198503142010131002", "nip_appointment"),  # appointment month 13
        ("198503141984011002", "nip_appointment_order"),  # appointed before birth
        ("198503141985031002", "nip_appointment_order"),  # appointed in the birth month
        ("198503142010013002", "nip_sex"),
        ("198503142010011000", "nip_sequence"),
    ],
)
def test_parse_nip_rejects_with_the_reason(nip, code):
    with pytest.raises(ValidationError) as exc:
        parse_nip(nip)
    assert exc.value.code == code


def test_pppk_month_marker_accepted_only_for_pppk():
    nip = "199001012021211005"
    assert parse_nip(nip, pppk=True).appointment_month is None
    with pytest.raises(ValidationError):
        parse_nip(nip, pppk=False)


def test_make_nip_round_trips():
    nip = make_nip(dt.date(1970, 12, 1), dt.date(1995, 3, 1), "f", 42)
    assert nip == "197012011995032042"
    assert parse_nip(nip).sequence == 42


@pytest.mark.parametrize("code", ["35", "35.73", "35.73.01", "35.73.01.1001"])
def test_region_codes_accepted(code):
    validate_region_code(code)


@pytest.mark.parametrize("code", ["3573", "35.7", "35.73.1", "x5.73"])
def test_region_codes_rejected(code):
    with pytest.raises(ValidationError):
        validate_region_code(code)


@pytest.mark.parametrize(
    "typed",
    [
        "19750315 200501 1 002",
        " 197503152005011002 ",
        "'197503152005011002",
        "19750315.200501.1.002",
    ],
)
def test_normalise_nip_accepts_the_ways_people_write_a_nip(typed):
    from kinerja.organisations.validators import normalise_nip

    assert normalise_nip(typed) == "197503152005011002"


def test_normalise_nip_names_non_ascii_digits():
    from kinerja.organisations.validators import normalise_nip

    with pytest.raises(ValidationError) as exc:
        normalise_nip("١٩٧٥٠٣١٥٢٠٠٥٠١١٠٠٢")
    assert exc.value.code == "nip_digits"


@pytest.mark.parametrize(
    "typed",
    [
        "\u00a019750315 200501 1 002\u00a0",  # copied from a web page
        "NIP. 19750315 200501 1 002",  # as printed under a signature
        "nip:197503152005011002",
        "19750315-200501-1-002",
        "\u2019197503152005011002",  # the apostrophe, curled by a word processor
        197503152005011002,  # an int keeps every digit
    ],
)
def test_normalise_nip_accepts_more_ways_people_write_a_nip(typed):
    from kinerja.organisations.validators import normalise_nip

    assert normalise_nip(typed) == "197503152005011002"


@pytest.mark.parametrize("typed", [1.97503152005011e17, "1.97503152005011E+17", "1,97503E+17"])
def test_normalise_nip_refuses_a_nip_that_excel_made_a_number(typed):
    from kinerja.organisations.validators import normalise_nip

    with pytest.raises(ValidationError) as exc:
        normalise_nip(typed)
    assert exc.value.code == "nip_number"
    with translation.override("en"):
        assert "Format the NIP column as Text" in exc.value.messages[0]


def test_validate_nip_takes_the_printed_form():
    from kinerja.organisations.validators import validate_nip

    validate_nip("19750315 200501 1 002")  # no error
    with pytest.raises(ValidationError) as exc:
        validate_nip("19750315 200501 1 00")
    assert exc.value.code == "nip_format"
