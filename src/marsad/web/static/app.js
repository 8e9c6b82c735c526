// Marsad dashboard: filters in the URL, a map, a timeline, an event table and an evidence view.
// Plain JS, no dependencies; every request goes to this origin's /api.
"use strict";

const TYPES = {
  AGREE: "اتفاق", CONSULT: "تشاور", SUPPORT: "دعم", CONCEDE: "تنازل", COOPERATE: "تعاون", AID: "مساعدة",
  RETREAT: "تراجع", REQUEST: "طلب", ACCUSE: "اتهام", REJECT: "رفض", THREATEN: "تهديد", PROTEST: "احتجاج",
  SANCTION: "عقوبة", MOBILIZE: "تعبئة", COERCE: "إكراه", ASSAULT: "اعتداء",
};
const MODES = {
  demo: "مظاهرة", riot: "شغب", strike: "إضراب", hunger: "إضراب عن الطعام", boycott: "مقاطعة", obstruct: "عرقلة",
  vandalize: "تخريب", visit: "زيارة", "third-party": "وساطة", multilateral: "متعدد الأطراف", phone: "اتصال هاتفي",
  withdraw: "انسحاب", release: "إفراج", disarm: "نزع السلاح", ceasefire: "وقف إطلاق النار", access: "سماح بالوصول",
  resign: "استقالة", assist: "مساعدة", change: "تغيير", yield: "تنازل", meet: "لقاء", disapprove: "استنكار",
  investigate: "تحقيق", allege: "ادعاء", restrict: "تقييد", arrest: "اعتقال", relations: "العلاقات", expel: "طرد",
  territory: "أراض", violence: "عنف", convict: "إدانة", discontinue: "إيقاف", troops: "قوات", weapons: "أسلحة",
  police: "شرطة", militia: "ميليشيا", seize: "مصادرة", censor: "رقابة", curfew: "حظر تجول",
  "martial-law": "أحكام عرفية", deport: "ترحيل", withhold: "حجب", misinformation: "تضليل", cyber: "هجوم إلكتروني",
  abduct: "اختطاف", beat: "ضرب", torture: "تعذيب", sexual: "عنف جنسي", targeted: "استهداف", destroy: "تدمير",
  primitive: "أسلحة بدائية", firearms: "أسلحة نارية", explosives: "متفجرات", "suicide-attack": "هجوم انتحاري",
  aerial: "غارة جوية", drone: "مسيّرة", "heavy-weapons": "أسلحة ثقيلة", "crowd-control": "تفريق حشود",
  unconventional: "أسلحة غير تقليدية",
};
const TYPE_MODES = {
  CONSULT: "visit third-party multilateral phone", RETREAT: "withdraw release disarm ceasefire access resign",
  REQUEST: "assist change yield meet", REJECT: "assist change yield meet",
  ACCUSE: "disapprove investigate allege", THREATEN: "restrict arrest relations expel territory violence",
  PROTEST: "demo riot strike hunger boycott obstruct vandalize", SANCTION: "convict expel withdraw discontinue",
  MOBILIZE: "troops weapons police militia",
  COERCE: "seize restrict censor curfew martial-law arrest deport withhold misinformation cyber",
  ASSAULT: "abduct beat torture sexual targeted destroy primitive firearms explosives suicide-attack aerial drone " +
    "heavy-weapons crowd-control unconventional",
};
// Highlight kinds, in the order they win when two spans overlap.
const KINDS = [["trigger", "trigger", "الحدث"], ["location", "place", "المكان"], ["source", "source", "الفاعل"],
  ["target", "target", "المستهدف"], ["size", "size", "العدد"], ["fatalities", "fatalities", "القتلى"],
  ["injuries", "injuries", "الجرحى"], ["date", "date", "التاريخ"]];
const FILTERS = ["type", "mode", "country", "place", "since", "until", "q"];
const PAGE_SIZE = 25;
const SVGNS = "http://www.w3.org/2000/svg";
const $ = (selector) => document.querySelector(selector);
const view = { x: -180, y: -84, w: 360, h: 144 };
let world = null; // {paths: Map iso3 -> path, names: Map iso3 -> name, labels: Map iso3 -> [lon, lat]}
let current = { events: [], stats: null };
let loads = 0;
let loadedSearch = null;
let worldReady = Promise.resolve();

function el(tag, attrs = {}, ...children) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVGNS, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) node.setAttribute(k, v);
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== ""));
  return node;
}
const ar = (text) => el("span", { lang: "ar", dir: "rtl" }, text);
const both = (en, arabic) => el("span", { class: "both" }, en, " · ", ar(arabic));
const REVIEW_LABELS = { confirmed: "مؤكد", corrected: "مصحح", rejected: "مرفوض", unreviewed: "غير مراجع" };
const reviewBadge = (r) => (r && r.status !== "unreviewed"
  ? el("span", { class: `badge ${r.status}`, title: r.reviewer || "" }, `${r.status} · ${REVIEW_LABELS[r.status]}`) : "");
const typeLabel = (t) => (t ? both(t, TYPES[t] || "") : "");
const modeLabel = (m) => (m ? (MODES[m] ? both(m, MODES[m]) : m) : "");

async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    let detail = response.statusText;
    try { detail = (await response.json()).error.message; } catch (_) { /* not a JSON error body */ }
    throw new Error(`${path}: ${response.status} ${detail}`);
  }
  return response.json();
}

// ---- URL state ----
function state() {
  const p = new URLSearchParams(location.search);
  const s = { page: Math.max(1, parseInt(p.get("page") || "1", 10) || 1), sort: p.get("sort") || "-date" };
  for (const f of FILTERS) s[f] = p.get(f) || "";
  return s;
}
function filterQuery(s) {
  const q = new URLSearchParams();
  for (const f of FILTERS) if (s[f]) q.set(f, s[f]);
  return q;
}
function navigate(s, { keepHash = false } = {}) {
  const q = filterQuery(s);
  if (s.page > 1) q.set("page", s.page);
  if (s.sort && s.sort !== "-date") q.set("sort", s.sort);
  const search = q.toString();
  history.pushState(null, "", (search ? `?${search}` : location.pathname) + (keepHash ? location.hash : ""));
  load();
}
function formState() {
  const s = { page: 1, sort: state().sort };
  for (const f of FILTERS) s[f] = ($(`#f-${f}`).value || "").trim();
  if (s.country) s.country = s.country.toUpperCase();
  return s;
}
function fillModes(type, selected) {
  const select = $("#f-mode");
  const modes = type && TYPE_MODES[type] ? TYPE_MODES[type].split(" ") : Object.keys(MODES);
  select.replaceChildren(el("option", { value: "" }, "All · الكل"),
    ...modes.map((m) => el("option", { value: m }, `${m} · ${MODES[m]}`)));
  select.value = modes.includes(selected) ? selected : "";
}
function fillForm(s) {
  $("#f-type").value = s.type.toUpperCase();
  fillModes(s.type.toUpperCase(), s.mode);
  for (const f of ["country", "place", "since", "until", "q"]) $(`#f-${f}`).value = s[f];
}

// ---- loading ----
async function load() {
  const token = ++loads;
  const s = state();
  loadedSearch = location.search;
  fillForm(s);
  document.body.dataset.state = "loading";
  const q = filterQuery(s).toString();
  const eventsP = api(`/api/events?${q}&page=${s.page}&page_size=${PAGE_SIZE}&sort=${encodeURIComponent(s.sort)}`);
  const statsP = api(`/api/stats?${q}&group=day`);
  try {
    const [page, stats] = await Promise.all([
      eventsP.then((page) => { if (token === loads) renderTable(page, s); return page; }),
      statsP.then((stats) => { if (token === loads) renderStats(stats); return stats; }),
    ]);
    if (token !== loads) return;
    current = { events: page.events, stats };
    if (world) renderMap();
    showError("");
  } catch (err) {
    if (token === loads) showError(err.message);
  }
  if (!window.marsadFirstRender) await worldReady;
  if (token !== loads) return;
  document.body.dataset.state = "ready";
  if (!window.marsadFirstRender) {
    window.marsadFirstRender = performance.now();
    document.body.dataset.firstRender = window.marsadFirstRender.toFixed(0);
  }
  showEvent();
}
function showError(message) {
  $("#error").hidden = !message;
  $("#error").textContent = message ? `Error · خطأ: ${message}` : "";
}

// ---- table ----
function placeCell(loc) {
  if (!loc) return "";
  return el("span", {}, loc.name_en || "", loc.name_en && loc.name_ar ? " · " : "", loc.name_ar ? ar(loc.name_ar) : "");
}
// `shown` is the part's text as the API says a reader should see it (entities decoded); records keep the original.
const shownText = (e, kind) => (e.display && e.display[kind]) ?? (e[kind] && e[kind].text);
function actorCell(a, shown) {
  if (!a) return "";
  const en = a.name_en || [a.country, a.role].filter(Boolean).join(" ");
  return el("span", {}, en, en && shown ? " · " : "", shown ? ar(shown) : "");
}
function sizeCell(size, shown) {
  if (!size) return "";
  const range = size.min === size.max ? `${size.min ?? ""}` : `${size.min ?? "?"}–${size.max ?? "?"}`;
  return el("span", {}, range, range && shown ? " · " : "", shown ? ar(shown) : "");
}
function renderTable(page, s) {
  const total = page.total_exact === false ? `${page.total.toLocaleString("en-US")}+` : `${page.total}`;
  $("#total").textContent = `${total} · ${page.total === 1 && page.total_exact !== false ? "event" : "events"}`;
  const rows = page.events.map((e) => el("tr", { "data-event-id": e.event_id, "data-type": e.event_type,
    "data-review": e.review ? e.review.status : null },
    el("td", {}, el("a", { href: `#event/${e.event_id}` }, e.date || "—")),
    el("td", { class: "type" }, typeLabel(e.event_type), reviewBadge(e.review)),
    el("td", {}, modeLabel(e.mode)),
    el("td", {}, placeCell(e.location)),
    el("td", {}, actorCell(e.source, shownText(e, "source"))),
    el("td", {}, actorCell(e.target, shownText(e, "target"))),
    el("td", {}, sizeCell(e.size, shownText(e, "size"))),
    el("td", { class: "num" }, String(e.source_count ?? ""))));
  if (!rows.length) rows.push(el("tr", {}, el("td", { colspan: 8, class: "empty" }, "No events · لا أحداث")));
  $("#events tbody").replaceChildren(...rows);
  // past the count cap (total_exact false) the number of pages is unknown: "/ 40+", and Next stays on
  // while pages come back full
  const capped = page.total_exact === false;
  const pages = Math.max(1, Math.ceil(page.total / page.page_size));
  $("#page-info").textContent = `Page ${page.page} / ${pages}${capped ? "+" : ""} · صفحة`;
  $("#prev").disabled = page.page <= 1;
  $("#next").disabled = capped ? page.events.length < page.page_size : page.page >= pages;
  for (const b of document.querySelectorAll("th button[data-sort]")) {
    const key = b.dataset.sort;
    b.dataset.active = s.sort.replace("-", "") === key ? (s.sort.startsWith("-") ? "desc" : "asc") : "";
  }
}

// ---- timeline ----
function dayNumber(date) {
  const d = date.length === 4 ? `${date}-01-01` : date.length === 7 ? `${date}-01` : date.slice(0, 10);
  return Math.floor(Date.parse(`${d}T00:00:00Z`) / 864e5);
}
const isoDay = (n) => new Date(n * 864e5).toISOString().slice(0, 10);
function renderStats(stats) {
  const bins = new Map();
  for (const { date, count } of stats.by_date || []) {
    const n = date ? dayNumber(date) : NaN;
    if (!Number.isNaN(n)) bins.set(n, (bins.get(n) || 0) + count);
  }
  const days = [...bins.keys()].sort((a, b) => a - b);
  const svg = $("#timeline");
  svg.replaceChildren();
  $("#t-first").textContent = days.length ? isoDay(days[0]) : "";
  $("#t-last").textContent = days.length ? isoDay(days[days.length - 1]) : "";
  $("#time-note").textContent = `${stats.total} · ${days.length} days · يوم`;
  if (days.length) {
    const first = days[0];
    const span = days[days.length - 1] - first + 1;
    const step = span > 400 ? 7 : 1; // weekly bars for long ranges
    const merged = new Map();
    for (const d of days) {
      const bin = first + Math.floor((d - first) / step) * step;
      merged.set(bin, (merged.get(bin) || 0) + bins.get(d));
    }
    const max = Math.max(...merged.values());
    const width = 600 / Math.ceil(span / step);
    for (const [d, count] of merged) {
      const h = Math.max(2, (110 * count) / max);
      const bar = el("svg:rect", { x: ((d - first) / step) * width, y: 120 - h, width: Math.max(width - 0.5, 0.8),
        height: h, class: "bar", "data-date": isoDay(d) },
        el("svg:title", {}, `${isoDay(d)}${step > 1 ? " (week · أسبوع)" : ""}: ${count} events · أحداث`));
      bar.addEventListener("click", () => navigate({ ...state(), since: isoDay(d), until: isoDay(d + step - 1), page: 1 }));
      svg.append(bar);
    }
  }
  const chips = Object.entries(stats.by_type || {}).sort((a, b) => b[1] - a[1]).map(([t, n]) =>
    el("button", { type: "button", class: "chip", "data-type": t }, typeLabel(t), ` ${n}`));
  chips.forEach((c) => c.addEventListener("click", () => navigate({ ...state(), type: c.dataset.type, mode: "", page: 1 })));
  $("#by-type").replaceChildren(...chips);
}

// ---- map ----
async function loadWorld() {
  const geo = await api("/api/world");
  world = { paths: new Map(), names: new Map(), labels: new Map() };
  const ring = (r) => `M${r.map(([x, y]) => `${x},${-y}`).join("L")}Z`;
  const layer = $("#countries-layer");
  const options = [];
  for (const f of geo.features) {
    const { iso3, name, label } = f.properties;
    const polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
    const path = el("svg:path", { d: polys.flat().map(ring).join(""), class: "country", "data-iso3": iso3 },
      el("svg:title", {}, name));
    path.addEventListener("click", () => { if (path.dataset.count) navigate({ ...state(), country: iso3, page: 1 }); });
    layer.append(path);
    world.paths.set(iso3, path);
    world.names.set(iso3, name);
    world.labels.set(iso3, label);
    options.push(el("option", { value: iso3 }, name));
  }
  $("#countries").replaceChildren(...options);
  if (current.stats) renderMap();
}
function renderMap() {
  const byCountry = current.stats.by_country || {};
  const max = Math.max(1, ...Object.values(byCountry));
  for (const [iso3, path] of world.paths) {
    const n = byCountry[iso3] || 0;
    path.classList.toggle("has-events", n > 0);
    if (n) {
      path.dataset.count = n;
      path.setAttribute("fill-opacity", (0.15 + 0.45 * Math.sqrt(n / max)).toFixed(2));
    } else {
      delete path.dataset.count;
      path.removeAttribute("fill-opacity");
    }
    path.firstChild.textContent = n ? `${world.names.get(iso3)} · ${n} events · أحداث` : world.names.get(iso3);
  }
  const known = Object.values(byCountry).reduce((a, b) => a + b, 0);
  $("#map-note").textContent = `${known} of ${current.stats.total} events in ${Object.keys(byCountry).length} countries · بلدان`;
  drawPoints();
}
function drawPoints() {
  const layer = $("#points-layer");
  layer.replaceChildren();
  const zoom = 360 / view.w;
  const byCountry = current.stats ? current.stats.by_country || {} : {};
  const max = Math.max(1, ...Object.values(byCountry));
  for (const [iso3, n] of Object.entries(byCountry)) {
    const at = world.labels.get(iso3);
    if (!at) continue;
    const c = el("svg:circle", { cx: at[0], cy: -at[1], r: (1.2 + 5 * Math.sqrt(n / max)) / zoom, class: "country-dot",
      "data-iso3": iso3, "data-count": n }, el("svg:title", {}, `${world.names.get(iso3)} · ${n} events · أحداث`));
    c.addEventListener("click", () => navigate({ ...state(), country: iso3, page: 1 }));
    layer.append(c);
  }
  const cell = 2 / zoom; // cluster this page's places on a grid that shrinks as you zoom in
  const clusters = new Map();
  for (const e of current.events) {
    const loc = e.location;
    if (!loc || loc.lat === null || loc.lat === undefined) continue;
    const key = `${Math.round(loc.lon / cell)},${Math.round(loc.lat / cell)}`;
    const c = clusters.get(key) || { lon: 0, lat: 0, events: [] };
    c.lon += loc.lon; c.lat += loc.lat; c.events.push(e);
    clusters.set(key, c);
  }
  for (const c of clusters.values()) {
    const n = c.events.length;
    const names = [...new Set(c.events.map((e) => e.location.name_en || e.location.text))].join(", ");
    const dot = el("svg:circle", { cx: c.lon / n, cy: -c.lat / n, r: (0.8 + 0.6 * Math.sqrt(n)) / zoom,
      class: "place-dot", "data-count": n }, el("svg:title", {}, `${names} · ${n} on this page · في هذه الصفحة`));
    dot.addEventListener("click", () => {
      const places = new Set(c.events.map((e) => e.location.name_en));
      if (n === 1) location.hash = `#event/${c.events[0].event_id}`;
      else if (places.size === 1 && c.events[0].location.name_en) navigate({ ...state(), place: c.events[0].location.name_en, page: 1 });
      else zoomTo(c.lon / n, -c.lat / n, 0.25);
    });
    layer.append(dot);
  }
}
function zoomTo(x, y, f) {
  const w = Math.max(view.w * f, 22.5);
  Object.assign(view, { x: x - w / 2, y: y - (w * 0.4) / 2, w, h: w * 0.4 });
  setView();
}
function setView() {
  $("#map").setAttribute("viewBox", `${view.x} ${view.y} ${view.w} ${view.h}`);
  if (world && current.stats) drawPoints();
}
function enableZoom() {
  const svg = $("#map");
  const toMap = (ev) => {
    const box = svg.getBoundingClientRect();
    const scale = Math.max(view.w / box.width, view.h / box.height);
    return [view.x + view.w / 2 + (ev.clientX - box.left - box.width / 2) * scale,
      view.y + view.h / 2 + (ev.clientY - box.top - box.height / 2) * scale, scale];
  };
  svg.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const [mx, my] = toMap(ev);
    const f = Math.min(Math.max(ev.deltaY > 0 ? 1.25 : 0.8, 22.5 / view.w), 360 / view.w);
    Object.assign(view, { x: mx - (mx - view.x) * f, y: my - (my - view.y) * f, w: view.w * f, h: view.h * f });
    setView();
  }, { passive: false });
  let drag = null;
  let dragged = false;
  svg.addEventListener("pointerdown", (ev) => { drag = { x: ev.clientX, y: ev.clientY, moved: false }; });
  svg.addEventListener("pointermove", (ev) => {
    if (!drag || (!drag.moved && Math.hypot(ev.clientX - drag.x, ev.clientY - drag.y) < 4)) return;
    if (!drag.moved) svg.setPointerCapture(ev.pointerId);
    const scale = toMap(ev)[2];
    view.x -= (ev.clientX - drag.x) * scale;
    view.y -= (ev.clientY - drag.y) * scale;
    Object.assign(drag, { x: ev.clientX, y: ev.clientY, moved: true });
    setView();
  });
  svg.addEventListener("pointerup", () => { dragged = Boolean(drag && drag.moved); drag = null; });
  svg.addEventListener("click", (ev) => { if (dragged) ev.stopPropagation(); dragged = false; }, true);
  svg.addEventListener("dblclick", () => { Object.assign(view, { x: -180, y: -84, w: 360, h: 144 }); setView(); });
}

// ---- event view ----
function kindLabel(kind) {
  const k = KINDS.find((x) => x[0] === kind);
  return k ? `${k[1]} · ${k[2]}` : kind;
}
function kindNode(kind) {
  const k = KINDS.find((x) => x[0] === kind);
  return k ? both(k[1], k[2]) : kind;
}
function mark(kind, text, title) {
  return el("mark", { class: `k-${kind}`, "data-kind": kind, title: title || kindLabel(kind) }, text);
}
// Wrap each span of `text` (offsets relative to it) in a <mark>; overlapping spans lose to earlier kinds.
function highlight(text, spans) {
  const rank = (s) => { const i = KINDS.findIndex((k) => k[0] === s.kind); return i < 0 ? KINDS.length : i; };
  const placed = [];
  for (const s of [...spans].sort((a, b) => rank(a) - rank(b))) {
    if (s.start < 0 || s.end > text.length || s.start >= s.end) continue;
    if (placed.some((p) => s.start < p.end && p.start < s.end)) continue;
    placed.push(s);
  }
  placed.sort((a, b) => a.start - b.start);
  const out = [];
  let at = 0;
  for (const s of placed) {
    out.push(text.slice(at, s.start), mark(s.kind, text.slice(s.start, s.end), s.title));
    at = s.end;
  }
  out.push(text.slice(at));
  return { nodes: out.filter(Boolean), placed };
}
// The evidence as shown (`m.display`, from the API: entities decoded, whitespace runs made one) with
// each coded part's span already mapped into it; parts outside the sentence are listed below it.
function renderMention(m) {
  const r = m.record || {};
  const shown = m.display || { sentence: "", spans: [] };
  const spans = shown.spans.map((s) => ({ ...s, title: `${kindLabel(s.kind)}: ${s.text || ""}${s.why ? ` (${s.why})` : ""}` }));
  const { nodes, placed } = highlight(shown.sentence, spans.filter((s) => s.start !== null && s.end !== null));
  const outside = spans.filter((s) => !placed.includes(s)).map((s) =>
    el("li", {}, kindNode(s.kind), ": ", el("bdi", { dir: "rtl", lang: "ar" }, mark(s.kind, s.text || "")),
      s.basis || s.why ? ` (${[s.basis, s.why].filter(Boolean).join(" · ")})` : ""));
  const flags = [r.negated && "negated · منفي", r.hypothetical && "hypothetical · افتراضي"].filter(Boolean).join(", ");
  const parts = [el("strong", {}, m.article_source || "unknown outlet · مصدر غير معروف"), m.date, m.article_id,
    m.url && el("a", { href: m.url, rel: "noopener noreferrer", target: "_blank" }, "link · رابط"),
    r.confidence !== undefined && `confidence · الثقة ${r.confidence}`, flags].filter(Boolean);
  const meta = el("p", { class: "meta" }, ...parts.flatMap((p, i) => (i ? [" · ", p] : [p])));
  const article = el("details", { class: "article", "data-article-id": m.article_id },
    el("summary", {}, "Whole article · المقال كاملا"));
  article.addEventListener("toggle", () => { if (article.open && article.children.length === 1) showArticle(article, m.article_id); });
  return el("li", { class: "mention", "data-mention-id": m.mention_id }, meta,
    el("p", { class: "evidence", dir: "rtl", lang: "ar" }, ...nodes),
    outside.length ? el("ul", { class: "outside" }, ...outside) : null, article);
}
async function showArticle(box, id) {
  try {
    const a = (await api(`/api/articles/${encodeURIComponent(id)}`)).display || {};
    const spans = (a.spans || []).map((s) => ({ ...s, title: `${s.label_en || s.kind} · ${s.label_ar || ""}` }));
    box.append(el("h4", { dir: "rtl", lang: "ar" }, a.title || ""),
      el("p", { class: "evidence article-text", dir: "rtl", lang: "ar" }, ...highlight(a.text || "", spans).nodes));
  } catch (err) {
    box.append(el("p", { class: "error" }, err.message));
  }
}
function field(en, arabic, value) {
  return value ? [el("dt", {}, both(en, arabic)), el("dd", {}, value)] : [];
}
async function showEvent() {
  const match = /^#event\/(\d+)$/.exec(location.hash);
  const panel = $("#event");
  if (!match) { panel.hidden = true; return; }
  panel.hidden = false;
  panel.dataset.state = "loading";
  try {
    const e = await api(`/api/events/${match[1]}`);
    if (location.hash !== `#event/${match[1]}`) return;
    renderEvent(e);
    panel.dataset.state = "ready";
  } catch (err) {
    $("#event-title").textContent = "Event not found · الحدث غير موجود";
    $("#mentions").replaceChildren(el("li", { class: "error" }, err.message));
    panel.dataset.state = "error";
  }
}
// The event panel for one event (GET /api/events/{id} or a review's answer); corrected fields show reviewed values.
function renderEvent(e) {
  $("#event-title").replaceChildren(typeLabel(e.event_type), e.mode ? " — " : "", modeLabel(e.mode));
  const count = (q) => (q ? `${q.min ?? "?"}${q.max !== q.min ? `–${q.max ?? "?"}` : ""}` : "");
  $("#event-fields").replaceChildren(
    ...field("Date", "التاريخ", e.date), ...field("Place", "المكان", placeCell(e.location)),
    ...field("Country", "البلد", e.country_iso3 && `${world?.names.get(e.country_iso3) || ""} ${e.country_iso3}`),
    ...field("Source", "الفاعل", actorCell(e.source, shownText(e, "source"))),
    ...field("Target", "المستهدف", actorCell(e.target, shownText(e, "target"))),
    ...field("Size", "العدد", sizeCell(e.size, shownText(e, "size"))), ...field("Fatalities", "القتلى", count(e.fatalities)),
    ...field("Injuries", "الجرحى", count(e.injuries)),
    ...field("Outlets", "المصادر", `${e.source_count} · ${(e.mentions || []).length} mentions · إشارات`));
  $("#legend").replaceChildren(...KINDS.map(([k]) => el("li", {}, mark(k, kindNode(k)))));
  $("#mentions").replaceChildren(...(e.mentions || []).map(renderMention));
  if (window.reviewShow) window.reviewShow(e);
}

// ---- wiring ----
function init() {
  $("#f-type").append(...Object.entries(TYPES).map(([t, a]) => el("option", { value: t }, `${t} · ${a}`)));
  $("#filters").addEventListener("submit", (ev) => { ev.preventDefault(); navigate(formState()); });
  for (const id of ["#f-type", "#f-mode", "#f-since", "#f-until"]) $(id).addEventListener("change", () => navigate(formState()));
  $("#f-reset").addEventListener("click", () => navigate({ page: 1, sort: "-date" }));
  $("#prev").addEventListener("click", () => navigate({ ...state(), page: state().page - 1 }));
  $("#next").addEventListener("click", () => navigate({ ...state(), page: state().page + 1 }));
  for (const b of document.querySelectorAll("th button[data-sort]")) {
    b.addEventListener("click", () => {
      const s = state();
      const key = b.dataset.sort;
      navigate({ ...s, sort: s.sort === `-${key}` ? key : `-${key}`, page: 1 });
    });
  }
  $("#events tbody").addEventListener("click", (ev) => {
    const row = ev.target.closest("tr[data-event-id]");
    if (row && !ev.target.closest("a")) location.hash = `#event/${row.dataset.eventId}`;
  });
  $("#event-close").addEventListener("click", () => { history.pushState(null, "", location.pathname + location.search); showEvent(); });
  document.addEventListener("keydown", (ev) => { if (ev.key === "Escape" && !$("#event").hidden) $("#event-close").click(); });
  window.addEventListener("popstate", () => (location.search === loadedSearch ? showEvent() : load()));
  window.addEventListener("hashchange", showEvent);
  enableZoom();
  worldReady = loadWorld().catch((err) => { $("#map-note").textContent = `map unavailable · الخريطة غير متاحة: ${err.message}`; });
  load();
}
init();
