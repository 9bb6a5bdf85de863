"""Reminder experiments: deterministic arms, reminders that follow the arm, outcomes recorded set-based, and a
report whose intervals find a known simulated effect and call a null effect not significant."""

import json
import random
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from jaring.insights.tests.helpers import bill, make_member, pay
from jaring.rules import experiments as stats

WIB = ZoneInfo("Asia/Jakarta")
AUGUST = date(2026, 8, 1)          # due 18 August 2026: the 15th is a Saturday, the 17th Independence Day
ARMS = [{"code": "kontrol", "control": True, "days_before_due": 3},
        {"code": "wa-7", "days_before_due": 7, "channel": "whatsapp", "wording": "friendly"}]


# --- pure rules -------------------------------------------------------------------------------------------

def test_assignment_is_a_function_of_code_and_kpj_and_follows_the_weights():
    arms = [("a", 1), ("b", 1)]
    kpjs = [f"{n:011d}" for n in range(10_000)]
    first = [stats.assign_arm("exp-1", k, arms) for k in kpjs]
    assert first == [stats.assign_arm("exp-1", k, arms) for k in kpjs]          # same answer every time
    assert 4_800 <= first.count("a") <= 5_200                                    # about half each
    other = [stats.assign_arm("exp-2", k, arms) for k in kpjs]
    assert 4_800 <= sum(x == y for x, y in zip(first, other)) <= 5_200          # another experiment reshuffles
    weighted = [stats.assign_arm("exp-1", k, [("a", 1), ("b", 3)]) for k in kpjs]
    assert 2_300 <= weighted.count("a") <= 2_700                                 # 1 in 4


def test_intervals_match_newcombes_published_examples():
    # Newcombe (1998), Statistics in Medicine 17:857–872: Wilson interval of 81/263 is 0.2553–0.3662;
    # the difference 56/70 − 48/80 = 0.2000 has the method-10 interval 0.0524–0.3339.
    ci = stats.wilson(81, 263)
    assert (round(ci.low, 4), round(ci.high, 4)) == (0.2553, 0.3662)
    d, ci = stats.difference(56, 70, 48, 80)
    assert round(d, 4) == 0.2 and (round(ci.low, 4), round(ci.high, 4)) == (0.0524, 0.3339)
    assert stats.significant(ci)
    assert not stats.significant(stats.difference(30, 60, 28, 60)[1])


# --- in the database ----------------------------------------------------------------------------------------

def _population(n: int, rng: random.Random, p_by_arm: dict, exp) -> None:
    """Give each assigned member August's bill and, with the arm's probability, a payment before the due date."""
    from jaring.outreach.models import ExperimentAssignment

    for a in ExperimentAssignment.objects.filter(experiment=exp).select_related("arm", "member"):
        if rng.random() < p_by_arm[a.arm.code]:
            pay(a.member, [AUGUST], paid_at=datetime(2026, 8, 10, 9, 0, tzinfo=WIB))
        else:
            bill(a.member, AUGUST, due_date=date(2026, 8, 18))


def _members(n: int):
    for _ in range(n):
        make_member(registered_on=date(2026, 1, 5))


@pytest.mark.django_db
def test_known_effect_is_found_and_lies_in_its_interval():
    from jaring.outreach.experiments import create_experiment, record_outcomes, report

    _members(1200)
    exp = create_experiment(code="wa-agustus", name="WhatsApp 7 hari", month="2026-08", arms=ARMS)
    assert exp.members == 1200
    _population(1200, random.Random(7), {"kontrol": 0.50, "wa-7": 0.70}, exp)
    record_outcomes(exp, date(2026, 8, 19))
    r = report(exp)
    treat = next(a for a in r["arms"] if a["code"] == "wa-7")["outcomes"]["paid_by_due"]
    ctrl = next(a for a in r["arms"] if a["code"] == "kontrol")["outcomes"]["paid_by_due"]
    assert ctrl["n"] + treat["n"] == 1200
    low, high = treat["difference_ci95"]
    assert low <= 0.20 <= high            # the true simulated effect lies in the 95% interval
    assert treat["significant"] is True and treat["verdict"].startswith("Signifikan")
    # the 90-day outcome is not known yet, and the report says so
    assert treat["n"] > 0 and next(a for a in r["arms"] if a["code"] == "wa-7")["outcomes"]["active_after_90"]["n"] == 0


@pytest.mark.django_db
def test_null_effect_is_reported_as_not_significant():
    from jaring.outreach.experiments import create_experiment, record_outcomes, report

    _members(1000)
    exp = create_experiment(code="sama-saja", name="Tanpa efek", month="2026-08", arms=ARMS)
    _population(1000, random.Random(11), {"kontrol": 0.60, "wa-7": 0.60}, exp)
    record_outcomes(exp, date(2026, 8, 19))
    treat = next(a for a in report(exp)["arms"] if a["code"] == "wa-7")["outcomes"]["paid_by_due"]
    low, high = treat["difference_ci95"]
    assert low <= 0.0 <= high
    assert treat["significant"] is False and treat["verdict"].startswith("Belum signifikan")


@pytest.mark.django_db
def test_outcomes_paid_by_due_and_active_after_90_days():
    from jaring.members.models import Member
    from jaring.outreach.experiments import create_experiment, record_outcomes
    from jaring.outreach.models import ExperimentAssignment

    on_time, late, never = (make_member(registered_on=date(2026, 1, 5)) for _ in range(3))
    exp = create_experiment(code="hasil", name="Hasil", month="2026-08", arms=ARMS)
    pay(on_time, [AUGUST], paid_at=datetime(2026, 8, 18, 20, 0, tzinfo=WIB))   # on the due day, evening
    pay(late, [AUGUST], paid_at=datetime(2026, 8, 19, 8, 0, tzinfo=WIB))       # the day after
    bill(never, AUGUST, due_date=date(2026, 8, 18))
    assert record_outcomes(exp, date(2026, 8, 18))["paid_by_due_recorded"] == 0   # not before the due date has passed
    assert record_outcomes(exp, date(2026, 8, 19))["paid_by_due_recorded"] == 3
    got = dict(ExperimentAssignment.objects.values_list("member_id", "paid_by_due"))
    assert got == {on_time.pk: True, late.pk: False, never.pk: False}
    Member.objects.filter(pk=never.pk).update(status="inactive")
    assert record_outcomes(exp, date(2026, 11, 15))["active_after_90_recorded"] == 0   # day 89
    assert record_outcomes(exp, date(2026, 11, 16))["active_after_90_recorded"] == 3   # 18 Aug + 90 days
    assert dict(ExperimentAssignment.objects.values_list("member_id", "active_after_90")) == {
        on_time.pk: True, late.pk: True, never.pk: False}
    assert record_outcomes(exp, date(2026, 11, 17))["active_after_90_recorded"] == 0   # never rewritten


@pytest.mark.django_db
def test_reminders_follow_the_members_arm():
    from jaring.outreach.experiments import create_experiment
    from jaring.outreach.models import ExperimentAssignment, Message
    from jaring.outreach.reminders import queue_reminders

    people = [make_member(registered_on=date(2026, 1, 5), phone=f"+62812000001{i:02d}") for i in range(12)]
    arms = [{"code": "kontrol", "control": True, "days_before_due": 0},
            {"code": "wa-7", "days_before_due": 7, "channel": "whatsapp", "wording": "friendly"}]
    exp = create_experiment(code="jadwal", name="Jadwal", month="2026-08", arms=arms)
    outsider = make_member(registered_on=date(2026, 1, 5), phone="+6281200000999")   # joined after the split
    for p in people + [outsider]:
        bill(p, AUGUST, due_date=date(2026, 8, 18))
    arm_of = {a.member_id: a.arm.code for a in ExperimentAssignment.objects.select_related("arm")}
    treated = [p for p in people if arm_of[p.pk] == "wa-7"]
    assert treated and len(treated) < len(people)
    queue_reminders(date(2026, 8, 11))          # 7 days before the due date: only the WhatsApp arm
    sent = Message.objects.all()
    assert {m.member_id for m in sent} == {p.pk for p in treated}
    assert all(m.channel == "whatsapp" and "menjaga Anda dan keluarga" in m.body for m in sent)
    queue_reminders(date(2026, 8, 15))          # 3 days before: the default policy for the outsider only
    assert set(Message.objects.exclude(member_id__in=[p.pk for p in treated]).values_list("member_id", flat=True)) == {
        outsider.pk}


@pytest.mark.django_db
def test_bad_experiments_are_refused_in_bahasa_indonesia():
    from jaring.core.errors import Conflict, DomainError
    from jaring.outreach.experiments import create_experiment

    with pytest.raises(DomainError, match="dua kelompok"):
        create_experiment(code="x", name="X", month="2026-08", arms=ARMS[:1])
    with pytest.raises(DomainError, match="Tepat satu kelompok"):
        create_experiment(code="x", name="X", month="2026-08", arms=[dict(a, control=True) for a in ARMS])
    with pytest.raises(DomainError, match="sms atau whatsapp"):
        create_experiment(code="x", name="X", month="2026-08", arms=[ARMS[0], dict(ARMS[1], channel="pos")])
    create_experiment(code="x", name="X", month="2026-08", arms=ARMS)
    with pytest.raises(Conflict):
        create_experiment(code="x", name="X", month="2026-08", arms=ARMS)


@pytest.mark.django_db
def test_cli_create_and_report_print_json(capsys):
    from jaring.cli import main

    for _ in range(4):
        make_member(registered_on=date(2026, 1, 5))
    main(["experiments", "create", "--code", "cli-1", "--name", "CLI", "--month", "2026-08",
          "--arm", "kontrol:days=3,control", "--arm", "wa:days=7,channel=whatsapp,wording=loss"])
    out = json.loads(capsys.readouterr().out)
    assert out["members"] == 4 and sum(out["arms"].values()) == 4
    main(["experiments", "report", "--code", "cli-1"])
    rep = json.loads(capsys.readouterr().out)
    assert rep["control"] == "kontrol" and rep["due_date"] == "2026-08-18"
    with pytest.raises(SystemExit) as e:
        main(["experiments", "create", "--code", "cli-2", "--name", "CLI", "--month", "2026-13",
              "--arm", "kontrol:control", "--arm", "wa:days=7"])
    assert e.value.code == 2


@pytest.mark.django_db
def test_manager_page_shows_arms_and_plain_verdict(client, make_user):
    from jaring.outreach.experiments import create_experiment

    make_member(registered_on=date(2026, 1, 5))
    create_experiment(code="halaman", name="Halaman", month="2026-08", arms=ARMS)
    client.force_login(make_user("mgr", role="manager", office=None))
    r = client.get("/outreach/eksperimen/")
    assert r.status_code == 200 and "halaman" in r.content.decode()
    r = client.get("/outreach/eksperimen/halaman/")
    body = r.content.decode()
    assert r.status_code == 200 and "Belum ada hasil" in body and "wa-7" in body
    agent = make_user("agen1", role="agent")
    client.force_login(agent)
    assert client.get("/outreach/eksperimen/").status_code == 403
