// Marsad review: confirm, reject or correct the open event, and a queue of unreviewed events,
// highest uncertainty first. Keys: c confirm, 1-4 reject (reason), e correct, s/t source/target from
// the selected words, n next in the queue, Esc close. Reading needs nothing; a review needs a
// reviewer token (kept for this tab only, in sessionStorage). Plain JS, this origin's /api only.
"use strict";

const TOKEN_KEY = "marsadReviewToken";
const QUEUE_KEY = "marsadReviewQueue";
const REASON_KEYS = { 1: "not-reported", 2: "wrong-type", 3: "duplicate", 4: "not-political" };
const rv = { event: null, options: null, place: undefined, initial: null, skipped: [], busy: false };
window.marsadReviewRequests = 0; // round trips made by review actions (the browser test counts them)

const token = () => sessionStorage.getItem(TOKEN_KEY) || "";
const inQueue = () => sessionStorage.getItem(QUEUE_KEY) === "1";

async function authed(path, options = {}) {
  window.marsadReviewRequests += 1;
  const headers = { Accept: "application/json", Authorization: `Bearer ${token()}`, ...(options.headers || {}) };
  return fetch(path, { ...options, headers });
}
function say(text, error = false) {
  const box = $("#review-message");
  box.textContent = text;
  box.classList.toggle("error", error);
}

// ---- reviewer ----
async function signIn(given) {
  sessionStorage.setItem(TOKEN_KEY, given);
  const response = await authed("/api/review/me");
  if (!response.ok) {
    sessionStorage.removeItem(TOKEN_KEY);
    showReviewer(null);
    say("Token refused · الرمز مرفوض", true);
    return;
  }
  showReviewer((await response.json()).reviewer);
  await loadOptions();
  if (rv.event) window.reviewShow(rv.event);
}
function showReviewer(name) {
  document.body.dataset.reviewer = name || "";
  $("#reviewer-name").textContent = name ? `Reviewer · المراجع: ${name}` : "";
  $("#reviewer-token").hidden = Boolean(name);
  $("#reviewer-signin").hidden = Boolean(name);
  $("#reviewer-signout").hidden = !name;
}
async function loadOptions() {
  if (rv.options) return;
  rv.options = await api("/api/review/options");
  $("#c-type").replaceChildren(...Object.keys(rv.options.types).map((t) => el("option", { value: t }, `${t} · ${TYPES[t] || ""}`)));
  const roles = [el("option", { value: "" }, "role · الدور"),
    ...Object.entries(rv.options.roles).map(([code, name]) => el("option", { value: code }, `${code} ${name}`))];
  $("#c-source-role").replaceChildren(...roles);
  $("#c-target-role").replaceChildren(...roles.map((o) => o.cloneNode(true)));
  $("#review-countries").replaceChildren(...rv.options.countries.map((c) =>
    el("option", { value: c.iso3 }, `${c.name_en} · ${c.name_ar}`)));
}

// ---- the open event ----
function statusText(r) {
  if (!r || r.status === "unreviewed") return "unreviewed · غير مراجع";
  const changed = r.coding_changed ? " — machine coding changed since · تغير الترميز الآلي منذ المراجعة" : "";
  const why = r.reason ? ` (${r.reason})` : "";
  return `${r.status} · ${REVIEW_LABELS[r.status]}${why} — ${r.reviewer}, ${r.reviewed_at}${changed}`;
}
window.reviewShow = (e) => {
  rv.event = e;
  const r = e.review || { status: "unreviewed" };
  $("#review").dataset.status = r.status;
  $("#review").dataset.version = e.version || "";
  $("#review-status").textContent = statusText(r);
  const signedIn = Boolean(document.body.dataset.reviewer);
  for (const b of document.querySelectorAll("#review .review-actions button")) b.disabled = !signedIn || rv.busy;
  if (!signedIn) say("Sign in with a reviewer token to review · سجّل الدخول برمز المراجع للمراجعة");
  $("#correct-form").hidden = true;
  $("#review-history ol").replaceChildren(...(e.reviews || []).map((x) => el("li", {},
    `${x.reviewed_at} ${x.reviewer}: ${x.verdict}${x.reason ? ` (${x.reason})` : ""}`,
    Object.keys(x.changes || {}).length ? ` — ${Object.keys(x.changes).join(", ")}` : "")));
};
function markRow(e) {
  const row = document.querySelector(`#events tr[data-event-id="${e.event_id}"]`);
  if (!row) return;
  row.dataset.review = e.review.status;
  const cell = row.querySelector("td.type");
  cell.querySelector(".badge")?.remove();
  cell.append(reviewBadge(e.review));
}
async function submit(body) {
  if (!rv.event || rv.busy || !document.body.dataset.reviewer) return;
  rv.busy = true;
  const id = rv.event.event_id;
  document.body.dataset.review = "saving";
  try {
    const response = await authed(`/api/events/${id}/review`, { method: "POST",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify({ version: rv.event.version, ...body }) });
    const answer = await response.json().catch(() => ({}));
    rv.busy = false;
    if (response.status === 201) {
      renderEvent(answer);
      markRow(answer);
      say(`Saved · حُفظ: ${answer.review.status} · ${REVIEW_LABELS[answer.review.status]}`);
      document.body.dataset.review = "saved";
      if (inQueue()) await next();
    } else if (response.status === 409) {
      if (answer.event) renderEvent(answer.event);
      say("Someone changed this event since you loaded it; it is reloaded, review it again · " +
          "عدّل غيرك هذا الحدث، أعيد تحميله فراجعه مجددا", true);
      document.body.dataset.review = "conflict";
    } else {
      say(`${response.status}: ${answer.error ? answer.error.message : response.statusText}`, true);
      document.body.dataset.review = "error";
    }
  } catch (err) {
    rv.busy = false;
    say(err.message, true);
    document.body.dataset.review = "error";
  }
  if (rv.event) window.reviewShow(rv.event);
}
const confirmEvent = () => submit({ verdict: "confirmed" });
const reject = (reason) => submit({ verdict: "rejected", reason });

// ---- queue ----
async function next() {
  sessionStorage.setItem(QUEUE_KEY, "1");
  if (rv.event && (!rv.event.review || rv.event.review.status === "unreviewed") && location.hash.startsWith("#event/")) {
    rv.skipped = [...rv.skipped, rv.event.event_id].slice(-200);
  }
  const q = filterQuery(state());
  if (rv.skipped.length) q.set("skip", rv.skipped.join(","));
  window.marsadReviewRequests += 1;
  const found = await api(`/api/review/next?${q}`);
  if (found.event_id === null) {
    say("Nothing left to review under these filters · لا أحداث متبقية للمراجعة");
    return;
  }
  const target = `#event/${found.event_id}`;
  if (location.hash === target) await showEvent();
  else location.hash = target;
  say(`Queue · قائمة: p=${found.probability}, threshold · العتبة ${found.threshold}`);
}

// ---- correction ----
const actorOf = (a) => ({ text: (a && (a.text || "")) || "", country: (a && a.country) || "", role: (a && a.role) || "" });
const quantityOf = (q) => ({ min: q && q.min !== null && q.min !== undefined ? String(q.min) : "",
  max: q && q.max !== null && q.max !== undefined ? String(q.max) : "" });
function fillModeSelect(type, mode) {
  const modes = (rv.options.types[type] || []);
  $("#c-mode").replaceChildren(el("option", { value: "" }, "— none · بلا"),
    ...modes.map((m) => el("option", { value: m }, `${m} · ${MODES[m] || ""}`)));
  $("#c-mode").value = modes.includes(mode) ? mode : "";
}
function formValues() {
  const actor = (side) => ({ text: $(`#c-${side}-text`).value.trim(), country: $(`#c-${side}-country`).value.trim().toUpperCase(),
    role: $(`#c-${side}-role`).value });
  const quantity = (name) => ({ min: $(`#c-${name}-min`).value, max: $(`#c-${name}-max`).value });
  return { event_type: $("#c-type").value, mode: $("#c-mode").value, source: actor("source"), target: actor("target"),
    date: $("#c-date").value, size: quantity("size"), fatalities: quantity("fatalities") };
}
async function openCorrection() {
  if (!rv.event || !document.body.dataset.reviewer) return;
  await loadOptions();
  const e = rv.event;
  $("#c-type").value = e.event_type;
  fillModeSelect(e.event_type, e.mode);
  for (const side of ["source", "target"]) {
    const a = actorOf(e[side]);
    $(`#c-${side}-text`).value = (e.display && e.display[side]) || a.text;
    $(`#c-${side}-country`).value = a.country;
    $(`#c-${side}-role`).value = a.role;
  }
  $("#c-date").value = /^\d{4}-\d{2}-\d{2}$/.test(e.date || "") ? e.date : "";
  for (const name of ["size", "fatalities"]) {
    const q = quantityOf(e[name]);
    $(`#c-${name}-min`).value = q.min;
    $(`#c-${name}-max`).value = q.max;
  }
  rv.place = undefined;
  $("#c-place").value = "";
  $("#c-place-chosen").textContent = e.location ? `${e.location.name_en || ""} ${e.location.name_ar || ""}` : "";
  $("#c-place-results").replaceChildren();
  rv.initial = JSON.stringify(formValues());
  $("#correct-form").hidden = false;
  $("#c-type").focus();
}
function corrections() {
  const now = formValues();
  const before = JSON.parse(rv.initial);
  const changes = {};
  // the latest review's corrections stay unless changed again: a review replaces the one before it
  const previous = rv.event.review && rv.event.review.status === "corrected" ? rv.event.review.changes : {};
  for (const [name, change] of Object.entries(previous || {})) changes[name] = change.new;
  const number = (v) => (v === "" ? null : parseInt(v, 10));
  if (now.event_type !== before.event_type || now.mode !== before.mode) {
    changes.event_type = now.event_type;
    changes.mode = now.mode || null;
  }
  for (const side of ["source", "target"]) {
    if (JSON.stringify(now[side]) === JSON.stringify(before[side])) continue;
    const a = now[side];
    changes[side] = a.text ? { text: a.text, country: a.country || null, role: a.role || null } : null;
  }
  if (now.date !== before.date) changes.date = now.date || null;
  for (const name of ["size", "fatalities"]) {
    if (JSON.stringify(now[name]) === JSON.stringify(before[name])) continue;
    const q = now[name];
    changes[name] = q.min === "" && q.max === "" ? null : { min: number(q.min), max: number(q.max === "" ? q.min : q.max) };
  }
  if (rv.place !== undefined) changes.location = rv.place;
  return changes;
}
function pickSelection(side) {
  const selection = window.getSelection();
  const text = selection ? selection.toString().trim() : "";
  const inside = selection && selection.anchorNode && $("#mentions").contains(selection.anchorNode);
  if (!text || !inside) {
    say("Select words in the evidence first · حدد كلمات في الدليل أولا", true);
    return;
  }
  $(`#c-${side}-text`).value = text;
  say(`${side} · ${side === "source" ? "الفاعل" : "المستهدف"}: ${text}`);
}
let placeTimer = null;
function searchPlace() {
  clearTimeout(placeTimer);
  const q = $("#c-place").value.trim();
  if (q.length < 2) { $("#c-place-results").replaceChildren(); return; }
  placeTimer = setTimeout(async () => {
    window.marsadReviewRequests += 1;
    const found = await api(`/api/gazetteer?q=${encodeURIComponent(q)}`);
    if ($("#c-place").value.trim() !== q) return;
    $("#c-place-results").replaceChildren(...found.places.map((p) => {
      const b = el("button", { type: "button", "data-geonameid": p.geonameid },
        `${p.name_en} · `, p.name_ar ? ar(p.name_ar) : "", ` (${p.admin1 || ""} ${p.country_iso3 || ""})`);
      b.addEventListener("click", () => choosePlace(p));
      return el("li", {}, b);
    }));
    $("#c-place-results").dataset.query = q;
  }, 150);
}
function choosePlace(p) {
  rv.place = p;
  $("#c-place-chosen").textContent = `${p.name_en} ${p.name_ar || ""} ✓`;
  $("#c-place-results").replaceChildren();
  $("#c-place").value = "";
}

// ---- wiring ----
function typing(target) {
  return target && (target.closest("input, select, textarea") !== null);
}
function onKey(ev) {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const formOpen = !$("#correct-form").hidden;
  if (ev.key === "Escape" && formOpen) {
    ev.stopImmediatePropagation();
    $("#correct-form").hidden = true;
    return;
  }
  if (formOpen && (ev.key === "s" || ev.key === "t") && !ev.target.closest("input, textarea")) {
    ev.preventDefault();
    pickSelection(ev.key === "s" ? "source" : "target");
  } else if (typing(ev.target) || ($("#event").hidden && ev.key !== "n")) {
    return;
  } else if (ev.key === "n") {
    ev.preventDefault();
    next().catch((err) => say(err.message, true));
  } else if (formOpen) {
    return;
  } else if (ev.key === "c") {
    confirmEvent();
  } else if (REASON_KEYS[ev.key]) {
    reject(REASON_KEYS[ev.key]);
  } else if (ev.key === "e") {
    ev.preventDefault();
    openCorrection();
  }
}
function initReview() {
  document.addEventListener("keydown", onKey, true);
  $("#reviewer").addEventListener("submit", (ev) => { ev.preventDefault(); signIn($("#reviewer-token").value.trim()); });
  $("#reviewer-signout").addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(QUEUE_KEY);
    showReviewer(null);
    if (rv.event) window.reviewShow(rv.event);
  });
  $("#queue-next").addEventListener("click", () => next().catch((err) => say(err.message, true)));
  $("#r-confirm").addEventListener("click", confirmEvent);
  for (const b of document.querySelectorAll("#review button.reject")) b.addEventListener("click", () => reject(b.dataset.reason));
  $("#r-correct").addEventListener("click", openCorrection);
  $("#c-type").addEventListener("change", () => fillModeSelect($("#c-type").value, ""));
  $("#c-source-pick").addEventListener("click", () => pickSelection("source"));
  $("#c-target-pick").addEventListener("click", () => pickSelection("target"));
  $("#c-place").addEventListener("input", searchPlace);
  $("#c-place").addEventListener("keydown", (ev) => {
    if (ev.key !== "Enter") return;
    ev.preventDefault();
    const first = $("#c-place-results button");
    if (first) first.click();
  });
  $("#c-cancel").addEventListener("click", () => { $("#correct-form").hidden = true; });
  $("#correct-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const changes = corrections();
    if (!Object.keys(changes).length) { say("Nothing changed · لم يتغير شيء", true); return; }
    submit({ verdict: "corrected", changes });
  });
  $("#event-close").addEventListener("click", () => sessionStorage.removeItem(QUEUE_KEY));
  if (token()) signIn(token()); else showReviewer(null);
}
initReview();
