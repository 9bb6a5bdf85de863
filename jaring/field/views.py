"""The field app's pages: the shell (works offline once opened), its service worker and its manifest."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from jaring.accounts.permissions import role_required

from . import selectors
from .services import FIELD_ROLES

# Everything the shell needs, fetched and kept by the service worker when the app is first opened.
ASSETS = ("field/app.js", "field/field.css", "field/icon-192.png", "field/icon-512.png")
_VERSION: str | None = None


def assets_version() -> str:
    """A hash of the shell's files: a new version makes phones fetch the new files once."""
    global _VERSION
    if _VERSION is None or settings.DEBUG:
        h = hashlib.sha256()
        paths = [finders.find(a) for a in ASSETS]
        paths += [get_template(t).origin.name for t in ("field/app.html", "field/sw.js")]
        for path in paths:
            with open(path, "rb") as f:
                h.update(f.read())
        _VERSION = h.hexdigest()[:12]
    return _VERSION


def messages() -> dict:
    """What the app says, translatable here (the JS file holds no text of its own)."""
    return {
        "nik_format": _("NIK harus 16 digit angka; yang diisi {n} digit. Salin dari KTP."),
        "nik_province": _("Kode provinsi {code} pada NIK (2 digit pertama) tidak dikenal; periksa NIK di KTP."),
        "nik_wilayah": _("Kode wilayah {code} pada NIK (6 digit pertama) tidak ada di data Kemendagri; "
                         "periksa NIK di KTP."),
        "nik_birth": _("Tanggal lahir pada NIK (digit ke-7 sampai 12, untuk perempuan tanggal + 40) tidak valid; "
                       "periksa NIK di KTP."),
        "nik_serial": _("Nomor urut NIK (4 digit terakhir) tidak boleh 0000; periksa NIK di KTP."),
        "nik_queued": _("NIK ini sudah ada di antrean; periksa antrean."),
        "nik_online": _("Kode wilayah NIK di luar area Anda: diperiksa saat sinkron."),
        "online_only": _("Diperiksa saat sinkron: NIK belum terdaftar sebagai peserta (tidak ganda), dan kode "
                         "wilayah NIK di luar area Anda."),
        "name": _("Nama hanya boleh huruf, spasi, titik, koma, tanda petik dan tanda hubung (2–120 huruf)."),
        "name_missing": _("Isi nama lengkap sesuai KTP."),
        "nik_missing": _("Isi NIK (16 digit pada KTP)."),
        "birth_match": _("Tanggal lahir {given} tidak cocok dengan NIK, yang menunjukkan {nik}; periksa tanggal "
                         "lahir atau NIK."),
        "gender_match": _("Jenis kelamin tidak cocok dengan NIK (pada NIK perempuan, tanggal lahir ditambah 40)."),
        "age_min": _("Umur saat mendaftar minimal {min} tahun; umur Anda {age} tahun."),
        "age_max": _("Umur saat mendaftar paling tinggi {max} tahun (belum 65); umur Anda {age} tahun."),
        "birth_future": _("Tanggal lahir tidak boleh di masa depan."),
        "phone": _("Isi nomor HP (seluler) yang aktif, misalnya 0812-3456-7890."),
        "village": _("Pilih desa/kelurahan tempat tinggal dari daftar."),
        "occupation": _("Pilih pekerjaan (kegiatan ekonomi) saat ini."),
        "income": _("Penghasilan sebulan harus antara Rp{min} dan Rp{max}; yang diisi Rp{value}."),
        "income_number": _("Penghasilan harus angka Rupiah bulat, misalnya 1500000 atau 1.500.000."),
        "programs": _("JKK dan JKM wajib diikuti bersama; JHT boleh ditambahkan."),
        "customer": _("Isi KPJ (11 digit, angka terakhir cocok) atau NIK (16 digit) peserta."),
        "months": _("Pembayaran mencakup 1 sampai {max} bulan."),
        "amount": _("Isi jumlah uang yang diterima dalam Rupiah, misalnya 16800."),
        "amount_online": _("Jumlah dicocokkan dengan iuran peserta saat sinkron."),
        "saved": _("Tersimpan di antrean. Berikutnya: NIK, nama, HP."),
        "saved_cash": _("Setoran tersimpan di antrean."),
        "fix_form": _("Periksa kolom yang ditandai."),
        "state_offline": _("Luring"),
        "state_online": _("Daring"),
        "state_syncing": _("Menyinkronkan…"),
        "state_synced": _("Tersinkron {time}"),
        "state_failed": _("Terputus; dicoba lagi"),
        "state_signin": _("Perlu masuk lagi untuk sinkron"),
        "queued": _("Menunggu sinkron"),
        "registered": _("Terdaftar, KPJ {kpj}"),
        "collected": _("Setoran diterima: Rp{amount} untuk {months} bulan (KPJ {kpj})"),
        "already_member": _("Sudah menjadi peserta: {name}, KPJ {kpj}"),
        "needs_correction": _("Perlu perbaikan"),
        "confirm_delete": _("Hapus entri {label} dari antrean? Data yang belum terkirim akan hilang."),
        "empty": _("Antrean kosong."),
        "confirm_clear": _("Hapus {n} entri yang sudah selesai (terdaftar atau setoran diterima) dari HP ini? "
                           "Datanya tetap ada di Jaring."),
        "fix": _("Perbaiki"),
        "delete": _("Hapus"),
        "no_setup": _("Buka aplikasi ini sekali saat ada sinyal, sesudah masuk, agar daftar desa dan aturan "
                      "tersimpan di HP."),
        "signin": _("Masuk lagi"),
        "cash": _("Setoran"),
        "member": _("Pendaftaran"),
        "ready": _("Siap dipakai tanpa sinyal"),
        "village_search_hint": _("Ketik nama desa untuk mencari ({n} desa di area Anda)."),
        "choose": _("— pilih —"),
    }


@role_required(*FIELD_ROLES)
def app(request):
    """The shell with the user's setup (rules, area: the same as ``GET /api/v1/field/setup``); the service worker
    keeps the last copy so the app opens with no connection, and the phone keeps the setup in localStorage."""
    get_token(request)  # the CSRF cookie the queue's batches are sent with
    return render(request, "field/app.html", {
        # the user's rules and area come with the page, so they are on the phone as soon as it has loaded
        "setup": selectors.setup_for(request.user),
        "messages_data": messages(),
        "config": {"setup_url": "/api/v1/field/setup", "batch_url": "/api/v1/field/batches",
                   "sw_url": reverse("field:sw"), "scope": reverse("field:app"),
                   "login_url": f"{reverse('login')}?next={reverse('field:app')}"},
    })


@never_cache
def service_worker(request):
    body = render_to_string("field/sw.js", {
        "version": assets_version(),
        "shell": json.dumps(reverse("field:app")),
        "assets": json.dumps([reverse("field:manifest")] + [static(a) for a in ASSETS]),
    })
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("field:app")
    return response


def manifest(request):
    data = {
        "name": _("Jaring Lapangan"),
        "short_name": _("Lapangan"),
        "description": _("Pendaftaran peserta dan setoran oleh agen Perisai, juga tanpa sinyal."),
        "lang": "id",
        "start_url": reverse("field:app"),
        "scope": reverse("field:app"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b6e4f",
        "icons": [
            {"src": static("field/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any maskable"},
            {"src": static("field/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})
