"""Issue 14 class 1: a value a format says is digits takes ASCII [0-9] only, is bounded, and is
refused with a 4xx (the CLI: exit 2) naming the field. Arabic-Indic digits made a follow-up request
loop for ever (they compare after every ASCII month); a superscript passed `isdigit()` and failed
in `int()` with a 500."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from utskrivning.cli import app
from utskrivning.lib import months
from utskrivning.lib.digits import NumberError, bounded_int, is_digits

from .conftest import admit_json, auth

JSON = "application/json"
# Each passes str.isdigit(), \d or int() somewhere: other scripts, full width, superscripts,
# and what int() forgives (underscores, spaces, signs).
NOT_DIGITS = ["٢٠٢٠", "２０２０", "²⁰²⁰", "2_020", " 2020", "2020 ", "+2020", "२०२०"]


def _assert_refused(response, field: str, status: int = 422) -> None:
    assert response.status_code == status, response.content[:300]
    # pydantic names the place too ("query.from"), the services the field alone
    assert response.json()["field"].rsplit(".", 1)[-1] == field, response.json()


@pytest.mark.parametrize("text", NOT_DIGITS)
def test_bounded_int_takes_ascii_digits_only(text):
    with pytest.raises(NumberError) as refused:
        bounded_int(text, field="year", low=2000, high=2100)
    assert refused.value.field == "year"
    assert not is_digits(text)


@pytest.mark.parametrize("text", ["1999", "2101", "9" * 5000, "", "-1"])
def test_bounded_int_is_bounded_and_reads_no_more_digits_than_the_bound_has(text):
    with pytest.raises(NumberError):
        bounded_int(text, field="year", low=2000, high=2100)


def test_bounded_int_reads_the_plain_number():
    assert bounded_int("2020", field="year", low=2000, high=2100) == 2020
    assert bounded_int("-5", field="n", low=-10, high=10) == -5


@pytest.mark.parametrize("year", NOT_DIGITS)
def test_a_month_in_other_digits_is_no_month_and_no_loop(year):
    assert not months.is_month(f"{year}-03")
    with pytest.raises(ValueError):
        months.months_between(f"{year}-03", "2020-05")  # the loop that never reached its end


def test_months_between_counts_without_walking():
    assert months.months_between("2020-11", "2021-02") == [
        "2020-11", "2020-12", "2021-01", "2021-02"
    ]  # fmt: skip
    assert months.months_between("2021-02", "2020-11") == []


@pytest.mark.parametrize("year", NOT_DIGITS)
@pytest.mark.parametrize("name", ["from", "to"])
def test_the_dashboard_api_refuses_a_month_in_other_digits(client, cast, year, name):
    response = client.get(
        "/api/followup/dashboard", {name: f"{year}-03"}, **auth(cast.finance_region)
    )
    _assert_refused(response, name)


@pytest.mark.parametrize(
    ("name", "value"),
    [("organisation", "²"), ("organisation", "١٢"), ("organisation", "9" * 40),
     ("organisation", "0"), ("baseline", "²⁰¹⁷"), ("baseline", "٢٠١٧"), ("baseline", "1999")],
)  # fmt: skip
def test_the_dashboard_api_refuses_numbers_in_other_digits_or_out_of_range(
    client, cast, name, value
):
    response = client.get("/api/followup/dashboard", {name: value}, **auth(cast.finance_region))
    _assert_refused(response, name)


@pytest.mark.parametrize(("name", "value"), [("organisation", "²"), ("baseline", "²⁰¹⁷")])
def test_the_dashboard_page_answers_400_not_500(client, cast, name, value):
    client.force_login(cast.finance_region.user)
    session = client.session
    session["membership_id"] = cast.finance_region.pk
    session.save()
    response = client.get("/followup/", {name: value})
    assert response.status_code == 400, response.status_code


@pytest.mark.parametrize("name", ["start", "end"])
def test_the_deviation_followup_api_refuses_a_month_in_other_digits(client, cast, name):
    response = client.get("/api/deviations/followup", {name: "٢٠٢٠-٠٣"}, **auth(cast.nurse))
    _assert_refused(response, name)


@pytest.mark.parametrize("month", ["٢٠٢٠-٠٣", "２０２０-０３", "9999-03", "0000-03"])
def test_the_invoice_basis_api_refuses_a_month_in_other_digits(client, cast, month):
    """It answered 200 with an empty basis: the month matched no discharge."""
    response = client.get(f"/api/payment/invoice-basis/2080/{month}", **auth(cast.finance_region))
    _assert_refused(response, "month")


@pytest.mark.parametrize("value", ["١٢", "1_2", " 12", "12.0", 10**30, 0, -1])
@pytest.mark.parametrize("field", ["ward_id", "primary_care_id"])
def test_an_id_in_a_body_is_ascii_digits_and_bounded(client, cast, field, value):
    response = client.post(
        "/api/episodes/", admit_json(cast) | {field: value}, content_type=JSON, **auth(cast.nurse)
    )
    _assert_refused(response, field)


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, " ".join((result.stderr + result.stdout).split())


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["demo-data", "--episodes", "١٢", "--year", "2020"], "--episodes"),
        (["demo-data", "--episodes", "99999999999999", "--year", "2020"], "--episodes"),
        (["demo-data", "--episodes", "5", "--year", "²⁰²⁰"], "--year"),
        (["demo-data", "--episodes", "5", "--year", "2020", "--seed", "-1"], "--seed"),
        (["demo-data", "--episodes", "5", "--year", "2020", "--seed", "٣"], "--seed"),
        (["indicators", "--episodes", "x.csv", "--baseline", "²⁰¹⁷"], "--baseline"),
        (["payment", "--rulebook", "dalarna-2020", "--episodes", "x.csv",
          "--month", "٢٠٢٠-٠٣"], "--month"),
        (["payment", "--rulebook", "dalarna-2020", "--episodes", "x.csv",
          "--month", "9999-03"], "--month"),
        (["worker", "--once", "--interval", "nan"], "--interval"),
        (["demo", "--port", "٨٠٠٠"], "--port"),
    ],
)  # fmt: skip
def test_a_cli_number_in_other_digits_or_out_of_range_exits_2_naming_the_option(args, option):
    code, output = _cli(*args)
    assert code == 2, output
    assert option in output


@pytest.mark.parametrize("rate", ["NaN", "sNaN", "Infinity", "1e999999", "٨٢٠٠", "-1", "1" * 40])
def test_a_day_rate_that_is_no_amount_exits_2(tmp_path, rate):
    path = tmp_path / "e.csv"
    path.write_text("episode_id,patient_id,municipality,care_type,admitted_at\n")
    code, output = _cli(
        "payment", "--rulebook", "dalarna-2020", "--episodes", str(path), "--day-rate", rate
    )
    assert code == 2, output
    assert "--day-rate" in output
