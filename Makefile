# Jaring: the two commands are `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test venv migrate demo serve worker browser bench clean messages replica replica-stop

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

migrate: $(STAMP)
	$(BIN)/jaring migrate

demo: migrate
	$(BIN)/jaring demo

run: demo
	@echo ""
	@echo "  Jaring siap: buka http://$(HOST):$(PORT)/  (ganti dengan: make run HOST=0.0.0.0 PORT=8080)"
	@echo "  Akun contoh, kata sandi semua: jaring-demo-2026"
	@echo "    peserta  pekerja (iuran, kartu, klaim)      agen     agen Perisai (rekrut, setoran, komisi)"
	@echo "    sponsor  sponsor (pekerja, tagihan)         petugas, petugas2  petugas kantor cabang Banjarmasin"
	@echo "    kanwil   kantor wilayah                     manajer  manajer (dasbor nasional)"
	@echo "    admin    administrator (juga /admin/)"
	@echo "  Lupa kata sandi? Kode masuk tampil di log ini dan di halaman Pengingat (mode pengembangan)."
	@echo ""
	$(BIN)/jaring serve --host $(HOST) --port $(PORT)

worker: $(STAMP)
	$(BIN)/jaring worker

# Debian's chromium for the Playwright tests (never a downloaded browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: sudo apt-get install -y chromium" >&2; exit 1; fi; }

# pytest exits 5 when it collects no test: that is a failure of the suite here, never a pass.
test: $(STAMP) browser
	$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$rc

# A streaming replica of the local PostgreSQL on 127.0.0.1:5433 (see .ci/replica and docs/operations.md);
# then DATABASE_URL=postgres://…:5432/<db> DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433 make test
# (a replica URL without a database name reads the primary's database)
replica:
	@.ci/replica >/dev/null && echo "export DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433"

replica-stop:
	@.ci/replica stop

bench: $(STAMP)
	@echo "see README.md: each benchmark is one command under bench/" >&2

messages: $(STAMP)
	cd jaring && ../$(BIN)/jaring manage makemessages -l en --no-obsolete && ../$(BIN)/jaring manage compilemessages

clean:
	rm -rf $(VENV) var/static
