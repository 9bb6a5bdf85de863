"""Lapse-risk score: each rule adds the stated points, with the reason shown."""

from jaring.rules.lapse import History, score


def test_three_months_in_arrears_is_high_risk_with_reasons():
    r = score(History(months_in_arrears=3, tenure_months=14, payments=11, single_month_payments=11))
    assert r.score == 70 and r.band == "tinggi"  # 60 (cap) + 10 single-month payer
    assert r.reasons == [("3 bulan menunggak", 60), ("selalu bayar hanya 1 bulan", 10)]
    assert r.reason_text == "3 bulan menunggak (+60); selalu bayar hanya 1 bulan (+10)"


def test_one_month_arrears_and_late_payments():
    r = score(History(months_in_arrears=1, late_payments_12m=5, tenure_months=8, payments=3,
                      single_month_payments=1))
    assert r.score == 45 and r.band == "sedang"  # 25 + min(20, 25)


def test_new_member_who_never_paid():
    r = score(History(tenure_months=2, months_in_arrears=1, ever_paid=False))
    assert r.score == 70  # 25 arrears + 30 never paid + 15 new


def test_paying_ahead_lowers_risk_and_never_below_zero():
    r = score(History(tenure_months=24, payments=2, single_month_payments=0, months_paid_ahead=3))
    assert r.score == 0 and r.band == "rendah"
    assert ("sudah bayar 3 bulan di muka", -15) in r.reasons


def test_weights_are_overridable_data():
    assert score(History(months_in_arrears=2, tenure_months=12), {"per_month_in_arrears": 10}).score == 20
