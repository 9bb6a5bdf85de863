/* Jaring Lapangan: register workers and record cash with no connection; a queue in IndexedDB, sent in batches.
 *
 * Plain JS, no build step. Every entry gets a key made on the phone; the server applies a key at most once,
 * so resending after a dropped connection never registers anyone twice. An entry leaves the queue only when
 * the server's answer for it has been read and stored.
 */
(function () {
  "use strict";

  const MSG = JSON.parse(document.getElementById("field-messages").textContent);
  const CFG = JSON.parse(document.getElementById("field-config").textContent);
  const SETUP_KEY = "jaring-lapangan-setup";
  const KEEP = ["village_code", "occupation", "sector", "income"]; // market-row mode keeps these
  const DAMM = "0317598642709215486342068713591750983426612304597836742095815869720134894536201794386172052581436790"
    .split("").map(Number);
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  function fmt(text, vars) {
    return String(text).replace(/\{(\w+)\}/g, (m, k) => (vars && k in vars ? vars[k] : m));
  }
  function rupiah(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  // --- IndexedDB: the queue ---------------------------------------------------------------------------
  let dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const req = indexedDB.open("jaring-lapangan", 1);
        req.onupgradeneeded = () => {
          const store = req.result.createObjectStore("queue", {keyPath: "key"});
          store.createIndex("owner", "owner");
        };
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    }
    return dbPromise;
  }
  async function tx(mode, fn) {
    const d = await db();
    return new Promise((resolve, reject) => {
      const t = d.transaction("queue", mode);
      const out = fn(t.objectStore("queue"));
      t.oncomplete = () => resolve(out && "result" in out ? out.result : undefined);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  }
  const putEntry = (e) => tx("readwrite", (s) => s.put(e));
  const deleteEntry = (key) => tx("readwrite", (s) => s.delete(key));
  async function entries() {
    const all = await tx("readonly", (s) => s.index("owner").getAll(owner()));
    return (all || []).sort((a, b) => a.created - b.created || (a.key < b.key ? -1 : 1));
  }

  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    const b = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  }

  // --- what the server told us to check with (kept on the phone) ---------------------------------------
  let setup = null;
  try { setup = JSON.parse(localStorage.getItem(SETUP_KEY) || "null"); } catch (e) { setup = null; }
  const embedded = document.getElementById("field-setup");
  if (embedded) {  // the page brings the signed-in user's setup; keep it for the offline opens to come
    try {
      const fresh = JSON.parse(embedded.textContent);
      if (fresh && fresh.user) {
        setup = fresh;
        localStorage.setItem(SETUP_KEY, JSON.stringify(fresh));
      }
    } catch (e) { /* keep the stored one */ }
  }
  const owner = () => (setup ? setup.user.username : "");

  async function loadSetup() {
    if (!navigator.onLine) return;
    try {
      const res = await fetch(CFG.setup_url, {credentials: "same-origin", headers: {Accept: "application/json"}});
      if (res.status === 401 || res.status === 403) {
        // signed out (or another person's account): hide this phone's data until the agent signs in again;
        // the queue itself stays in IndexedDB under its owner and is sent after the next sign-in
        localStorage.removeItem(SETUP_KEY);
        setup = null;
        needSignIn();
        await render();
        return;
      }
      if (!res.ok) return;
      const data = await res.json();
      localStorage.setItem(SETUP_KEY, JSON.stringify(data));
      setup = data;
      applySetup();
    } catch (e) { /* no connection: keep what the phone has */ }
  }

  function needSignIn() {
    const n = $("#notice");
    n.hidden = false;
    n.innerHTML = "";
    n.append(MSG.state_signin + " ");
    const a = document.createElement("a");
    a.href = CFG.login_url;
    a.textContent = MSG.signin;
    n.append(a);
    syncState = "signin";
    renderHeader();
  }

  // --- the area's villages ----------------------------------------------------------------------------
  function fillVillages(query, want) {
    const sel = $("select[name=village_code]");
    const current = want || sel.value;
    const villages = setup ? setup.villages : [];
    const q = (query || "").trim().toLowerCase();
    let rows = villages;
    if (q) rows = villages.filter((v) => v[1].toLowerCase().includes(q) || v[0].replace(/\./g, "").startsWith(q.replace(/\./g, "")));
    else if (villages.length > 300) rows = [];
    rows = rows.slice(0, 200);
    if (current && !rows.some((v) => v[0] === current)) {
      const keep = villages.find((v) => v[0] === current);
      if (keep) rows = [keep].concat(rows);
    }
    sel.innerHTML = "";
    const blank = new Option(MSG.choose, "");
    sel.add(blank);
    for (const v of rows) {
      const district = setup.districts[v[2]] || v[2];
      sel.add(new Option(v[1] + " — " + district, v[0]));
    }
    sel.value = current && rows.some((v) => v[0] === current) ? current : (rows.length === 1 ? rows[0][0] : "");
    $("#village-hint").textContent = fmt(MSG.village_search_hint, {n: villages.length});
  }

  function applySetup() {
    if (!setup) {
      const n = $("#notice");
      n.hidden = false;
      n.textContent = MSG.no_setup;
      return;
    }
    if (syncState !== "signin") $("#notice").hidden = true;
    $("#who").textContent = setup.user.name + (setup.user.agent_code ? " · " + setup.user.agent_code : "");
    const occ = $("select[name=occupation]");
    const chosen = occ.value;
    occ.innerHTML = "";
    occ.add(new Option(MSG.choose, ""));
    for (const o of setup.occupations) occ.add(new Option(o.label, o.value));
    occ.value = chosen;
    fillVillages($("#village-q").value);
    const r = setup.rules;
    $("#income-hint").textContent = "Rp" + rupiah(r.income_min) + " – Rp" + rupiah(r.income_max);
    $("#online-only").textContent = MSG.online_only;
    $("#amount-note").textContent = MSG.amount_online;
    $("input[name=months]").max = r.months_max;
    $("#tab-setoran").hidden = !setup.user.can_collect;
  }

  // --- checks that run on the phone (the server repeats them all) ---------------------------------------
  function realDate(y, m, d) {
    const dt = new Date(Date.UTC(y, m - 1, d));
    return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d ? dt : null;
  }
  function iso(dt) { return dt.toISOString().slice(0, 10); }
  function dmy(isoText) { const p = isoText.split("-"); return p[2] + "-" + p[1] + "-" + p[0]; }
  function today() { return setup && setup.today ? setup.today : iso(new Date()); }

  /** NIK structure as the server reads it: province, region codes, birth date (women: day + 40), serial. */
  function parseNik(raw) {
    const nik = String(raw || "").replace(/[\s.\-]/g, "");
    if (!/^\d{16}$/.test(nik)) return {error: fmt(MSG.nik_format, {n: nik.replace(/\D/g, "").length})};
    const district = nik.slice(0, 2) + "." + nik.slice(2, 4) + "." + nik.slice(4, 6);
    if (setup && !setup.provinces.includes(nik.slice(0, 2))) return {error: fmt(MSG.nik_province, {code: nik.slice(0, 2)})};
    if (nik.slice(2, 4) === "00" || nik.slice(4, 6) === "00") return {error: fmt(MSG.nik_wilayah, {code: district})};
    let day = Number(nik.slice(6, 8));
    const month = Number(nik.slice(8, 10));
    const yy = Number(nik.slice(10, 12));
    const gender = day > 40 ? "P" : "L";
    if (day > 40) day -= 40;
    const ref = Number(today().slice(0, 4));
    const year = yy <= ref % 100 ? 2000 + yy : 1900 + yy;
    const birth = day >= 1 ? realDate(year, month, day) : null;
    if (!birth) return {error: MSG.nik_birth};
    if (nik.slice(12) === "0000") return {error: MSG.nik_serial};
    const inArea = !!(setup && setup.districts[district]);
    return {nik, district, birth_date: iso(birth), gender, inArea};
  }

  function ageOn(birth, on) {
    const b = birth.split("-").map(Number), o = on.split("-").map(Number);
    return o[0] - b[0] - ((o[1] < b[1] || (o[1] === b[1] && o[2] < b[2])) ? 1 : 0);
  }

  function parseRupiah(text) {
    const t = String(text || "").trim().replace(/^rp\.?\s*/i, "").replace(/[.\s]/g, "").replace(/,0+$/, "");
    return /^\d+$/.test(t) ? Number(t) : null;
  }

  const NAME = /^[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F .,'\-]*$/;

  function checkMember(data, queuedNiks) {
    const errors = {}, notes = {};
    const rules = setup.rules;
    let info = null;
    if (!data.nik) errors.nik = MSG.nik_missing;
    else {
      info = parseNik(data.nik);
      if (info.error) { errors.nik = info.error; info = null; }
      else if (queuedNiks.has(info.nik)) errors.nik = MSG.nik_queued;
      else if (!info.inArea) notes.nik = MSG.nik_online;
    }
    const name = String(data.name || "").split(/\s+/).filter(Boolean).join(" ");
    if (!name) errors.name = MSG.name_missing;
    else if (name.length < 2 || name.length > 120 || !NAME.test(name)) errors.name = MSG.name;
    if (info) {
      if (data.birth_date && data.birth_date !== info.birth_date) {
        errors.birth_date = fmt(MSG.birth_match, {given: dmy(data.birth_date), nik: dmy(info.birth_date)});
      } else {
        const age = ageOn(info.birth_date, today());
        if (info.birth_date > today()) errors.birth_date = MSG.birth_future;
        else if (age < rules.age_min) errors.birth_date = fmt(MSG.age_min, {min: rules.age_min, age});
        else if (age > rules.age_max) errors.birth_date = fmt(MSG.age_max, {max: rules.age_max, age});
      }
      if (data.gender && data.gender !== info.gender) errors.gender = MSG.gender_match;
    }
    const phone = String(data.phone || "").replace(/[\s.\-()]/g, "");
    if (!/^(\+62|62|0)8\d{7,11}$/.test(phone)) errors.phone = MSG.phone;
    if (!data.village_code || !setup.villages.some((v) => v[0] === data.village_code)) errors.village_code = MSG.village;
    if (!data.occupation) errors.occupation = MSG.occupation;
    const income = parseRupiah(data.income);
    if (income === null) errors.income = MSG.income_number;
    else if (income < rules.income_min || income > rules.income_max) {
      errors.income = fmt(MSG.income, {min: rupiah(rules.income_min), max: rupiah(rules.income_max), value: rupiah(income)});
    }
    for (const p of rules.programs_required) if (!data.programs.includes(p)) errors.programs = MSG.programs;
    return {errors, notes, info};
  }

  function validKpj(kpj) {
    if (!/^\d{11}$/.test(kpj)) return false;
    let interim = 0;
    for (const ch of kpj) interim = DAMM[interim * 10 + Number(ch)];
    return interim === 0;
  }

  function checkCash(data) {
    const errors = {};
    const customer = String(data.customer || "").replace(/[\s.\-]/g, "");
    if (!(validKpj(customer) || (customer.length === 16 && !parseNik(customer).error))) errors.customer = MSG.customer;
    const months = Number(data.months);
    if (!Number.isInteger(months) || months < 1 || months > setup.rules.months_max) {
      errors.months = fmt(MSG.months, {max: setup.rules.months_max});
    }
    const amount = parseRupiah(data.amount);
    if (amount === null || amount < 1) errors.amount = MSG.amount;
    return errors;
  }

  function showErrors(form, errors, notes) {
    for (const el of $$("[data-error-for]", form)) el.textContent = errors[el.dataset.errorFor] || "";
    for (const el of $$("[data-note-for]", form)) el.textContent = (notes || {})[el.dataset.noteFor] || "";
    for (const input of $$("[name]", form)) {
      if (errors[input.name]) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }
    const first = Object.keys(errors)[0];
    if (first) { const el = $("[name=" + first + "]", form); if (el && el.focus) el.focus(); }
  }

  function toast(text) {
    const t = $("#toast");
    t.textContent = text;
    t.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { t.hidden = true; }, 4000);
  }

  // --- the registration form --------------------------------------------------------------------------
  let editing = null; // the entry being corrected: replaced (with a new key) when saved

  function memberData(form) {
    const v = (n) => (form.elements[n].value || "").trim();
    return {
      nik: v("nik").replace(/[\s.\-]/g, ""), name: v("name").split(/\s+/).filter(Boolean).join(" "),
      birth_date: v("birth_date"), gender: v("gender"), phone: v("phone"), village_code: v("village_code"),
      occupation: v("occupation"), sector: v("sector"), income: v("income"),
      programs: $$("input[name=programs]", form).filter((c) => c.checked).map((c) => c.value).join(","),
    };
  }

  function onNikInput() {
    const form = $("#reg-form");
    const info = parseNik(form.elements.nik.value);
    if (!info.error) {
      form.elements.birth_date.value = info.birth_date;
      form.elements.gender.value = info.gender;
    }
    $("[data-note-for=nik]", form).textContent = !info.error && !info.inArea ? MSG.nik_online : "";
  }

  async function saveMember(ev) {
    ev.preventDefault();
    if (!setup) { applySetup(); return; }
    const form = ev.target;
    const data = memberData(form);
    const queued = new Set((await entries())
      .filter((e) => e.kind === "member" && (!editing || e.key !== editing.key) && e.state !== "needs_correction")
      .map((e) => e.data.nik));
    const {errors, notes} = checkMember(data, queued);
    showErrors(form, errors, notes);
    if (Object.keys(errors).length) { toast(MSG.fix_form); return; }
    data.income = String(parseRupiah(data.income));
    const entry = {key: newKey(), owner: owner(), kind: "member", data, created: Date.now(), state: "queued", result: null};
    await putEntry(entry);
    if (editing) { await deleteEntry(editing.key); editing = null; }
    const rowMode = $("#row-mode").checked;
    const keep = rowMode ? Object.fromEntries(KEEP.map((k) => [k, form.elements[k].value])) : {};
    const jht = form.elements.programs[2].checked;
    form.reset();
    $("#row-mode").checked = rowMode;
    for (const k of Object.keys(keep)) form.elements[k].value = keep[k];
    if (rowMode) form.elements.programs[2].checked = jht;
    showErrors(form, {}, {});
    toast(MSG.saved);
    form.elements.nik.focus();
    await render();
    scheduleSync();
  }

  async function saveCash(ev) {
    ev.preventDefault();
    if (!setup) { applySetup(); return; }
    const form = ev.target;
    const data = {customer: form.elements.customer.value.replace(/[\s.\-]/g, ""),
                  months: Number(form.elements.months.value), amount: form.elements.amount.value.trim()};
    const errors = checkCash(data);
    showErrors(form, errors, {});
    if (Object.keys(errors).length) { toast(MSG.fix_form); return; }
    data.amount = parseRupiah(data.amount);
    await putEntry({key: newKey(), owner: owner(), kind: "collection", data, created: Date.now(), state: "queued",
                    result: null});
    form.reset();
    toast(MSG.saved_cash);
    await render();
    scheduleSync();
  }

  // --- the queue on screen ----------------------------------------------------------------------------
  function outcomeText(e) {
    const r = e.result || {};
    if (e.state === "registered") return fmt(MSG.registered, r);
    if (e.state === "collected") return fmt(MSG.collected, {amount: rupiah(r.amount), months: r.months, kpj: r.kpj});
    if (e.state === "already_member") return fmt(MSG.already_member, r);
    if (e.state === "needs_correction") {
      const parts = Object.entries(r.errors || {}).map(([f, m]) => f + ": " + m);
      return MSG.needs_correction + ": " + (parts.length ? parts.join(" · ") : r.detail);
    }
    return MSG.queued;
  }

  function label(e) {
    if (e.kind === "member") return e.data.name + " · NIK …" + String(e.data.nik).slice(-4);
    return MSG.cash + " · " + e.data.customer + " · Rp" + rupiah(e.data.amount);
  }

  async function render() {
    const list = await entries();
    const ul = $("#queue");
    ul.innerHTML = "";
    if (!list.length) {
      const li = document.createElement("li");
      li.textContent = MSG.empty;
      li.dataset.testid = "queue-empty";
      ul.append(li);
    }
    for (const e of list.slice().reverse()) {
      const li = document.createElement("li");
      li.dataset.state = e.state;
      li.dataset.key = e.key;
      li.dataset.testid = "entry";
      const what = document.createElement("div");
      what.className = "what";
      what.textContent = label(e);
      const out = document.createElement("div");
      out.className = "out";
      out.dataset.testid = "outcome";
      out.textContent = outcomeText(e);
      li.append(what, out);
      const acts = document.createElement("div");
      acts.className = "acts";
      if (e.state === "needs_correction" && e.kind === "member") {
        const fix = document.createElement("button");
        fix.type = "button"; fix.className = "small"; fix.textContent = MSG.fix; fix.dataset.testid = "fix";
        fix.addEventListener("click", () => startFix(e));
        acts.append(fix);
      }
      const del = document.createElement("button");
      del.type = "button"; del.className = "small danger"; del.textContent = MSG.delete; del.dataset.testid = "delete";
      del.addEventListener("click", async () => {
        if (!window.confirm(fmt(MSG.confirm_delete, {label: label(e)}))) return;
        await deleteEntry(e.key);
        await render();
      });
      acts.append(del);
      li.append(acts);
      ul.append(li);
    }
    const done = list.filter((e) => e.state === "registered" || e.state === "collected");
    $("#clear-done").hidden = !done.length;
    pending = list.filter((e) => e.state === "queued").length;
    renderHeader();
  }

  function startFix(e) {
    const form = $("#reg-form");
    editing = e;
    for (const [k, v] of Object.entries(e.data)) if (form.elements[k] && k !== "programs") form.elements[k].value = v;
    $("#village-q").value = "";
    fillVillages("", e.data.village_code);
    form.elements.programs[2].checked = String(e.data.programs).includes("JHT");
    showErrors(form, (e.result && e.result.errors) || {}, {});
    showTab("daftar");
  }

  // --- header: sync state and how many entries wait -------------------------------------------------------
  let pending = 0, syncState = "", lastSync = null;
  function renderHeader() {
    $("#queue-count").textContent = String(pending);
    let text;
    if (syncState === "syncing") text = MSG.state_syncing;
    else if (syncState === "signin") text = MSG.state_signin;
    else if (!navigator.onLine) text = MSG.state_offline;
    else if (syncState === "failed") text = MSG.state_failed;
    else if (lastSync) text = fmt(MSG.state_synced, {time: lastSync.toTimeString().slice(0, 5)});
    else text = MSG.state_online;
    const el = $("#sync-state");
    el.textContent = text;
    el.dataset.state = syncState || (navigator.onLine ? "online" : "offline");
  }

  // --- sync ---------------------------------------------------------------------------------------------
  function csrf() {
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  let syncing = false, syncTimer = null;
  function scheduleSync() {
    clearTimeout(syncTimer);
    syncTimer = setTimeout(() => { if (navigator.onLine) sync(); }, 800);
  }

  async function sendBatch(batch) {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), 45000);
    try {
      return await fetch(CFG.batch_url, {
        method: "POST", credentials: "same-origin", signal: ctrl.signal,
        headers: {"Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf()},
        body: JSON.stringify({entries: batch.map((e) => ({key: e.key, kind: e.kind, data: e.data}))}),
      });
    } finally { clearTimeout(timer); }
  }

  async function syncOnce() {
    const size = (setup && setup.batch_size) || 10;
    for (;;) {
      const waiting = (await entries()).filter((e) => e.state === "queued");
      if (!waiting.length) { syncState = ""; lastSync = new Date(); return; }
      const batch = waiting.slice(0, size);
      let res;
      try { res = await sendBatch(batch); } catch (err) { syncState = "failed"; return; }
      if (res.status === 401 || res.status === 403) { needSignIn(); return; }
      if (!res.ok) { syncState = "failed"; return; }
      let body;
      try { body = await res.json(); } catch (err) { syncState = "failed"; return; }
      const byKey = new Map(batch.map((e) => [e.key, e]));
      let applied = 0;
      for (const r of body.results || []) {
        const e = byKey.get(r.key);
        if (!e) continue;
        e.state = r.outcome;
        e.result = r;
        e.synced = Date.now();
        await putEntry(e);
        applied += 1;
      }
      await render();
      if (!applied) { syncState = "failed"; return; }
    }
  }

  async function sync() {
    if (syncing || !setup || syncState === "signin") return;
    syncing = true;
    syncState = "syncing";
    renderHeader();
    try {
      if (navigator.locks) await navigator.locks.request("jaring-lapangan-sync", syncOnce);
      else await syncOnce();
    } finally {
      syncing = false;
      await render();
    }
  }

  // --- tabs and start ---------------------------------------------------------------------------------
  function showTab(name) {
    for (const p of $$("[data-panel]")) p.hidden = p.dataset.panel !== name;
    for (const b of $$(".tabs button")) b.classList.toggle("on", b.dataset.tab === name);
  }

  async function registerWorker() {
    if (!("serviceWorker" in navigator)) return;
    try {
      await navigator.serviceWorker.register(CFG.sw_url, {scope: CFG.scope});
      await navigator.serviceWorker.ready;
      if (setup) { const r = $("#ready"); r.textContent = MSG.ready; r.hidden = false; }
    } catch (e) { /* the app still works while this page stays open */ }
  }

  async function start() {
    const worker = registerWorker();  // first: the sooner the shell is kept, the sooner it opens offline
    applySetup();
    $("#reg-form").addEventListener("submit", saveMember);
    $("#cash-form").addEventListener("submit", saveCash);
    $("#reg-form").elements.nik.addEventListener("input", onNikInput);
    $("#reg-form").elements.occupation.addEventListener("change", (ev) => {
      const o = setup && setup.occupations.find((x) => x.value === ev.target.value);
      if (o) $("#reg-form").elements.sector.value = o.sector;
    });
    $("#village-q").addEventListener("input", (ev) => fillVillages(ev.target.value));
    $("#sync-now").addEventListener("click", () => { if (syncState === "signin") syncState = ""; sync(); });
    for (const b of $$(".tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab));
    $("#clear-done").addEventListener("click", async () => {
      const done = (await entries()).filter((e) => e.state === "registered" || e.state === "collected");
      if (!done.length || !window.confirm(fmt(MSG.confirm_clear, {n: done.length}))) return;
      for (const e of done) await deleteEntry(e.key);
      await render();
    });
    window.addEventListener("online", () => { renderHeader(); loadSetup().then(sync); });
    window.addEventListener("offline", renderHeader);
    setInterval(() => { if (navigator.onLine && pending) sync(); }, 20000);
    await render();
    if (!embedded) await loadSetup();
    await worker;
    await render();
    if (navigator.onLine) sync();
  }

  start();
})();
