// The timeline page: filters kept in the URL, the time axis, the chronological list, the
// undated events apart, and the detail panel of the event the URL names.

import { loadCatalogue, loadEvent, loadTimeline } from "./api.js";
import { drawAxis } from "./axis.js";
import { formatPartial, monthHeading, period, precisionOf, todayIso, weekdayOf } from "./dates.js";
import { readState, writeState } from "./url.js";
import { RELATION_NAMES, STATUS_EXPLANATIONS, TYPE_NAMES, typeName, words } from "./vocabulary.js";

const TODAY = todayIso();
const INVERSE = { decides: "decided by", responds_to: "answered by", targets: "targeted by",
  discloses: "disclosed by", follows: "followed by" };
const PUBLISHED = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short" });

const byId = (id) => document.getElementById(id);
let state = readState(location.search);
let timeline = null;
let refreshes = 0;
const details = new Map();

/** An element with a class and children (strings become text, never HTML). */
function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

function french(text, tag = "span", className = "") {
  const node = el(tag, className, text);
  node.lang = "fr";
  return node;
}

// -- state and URL -------------------------------------------------------------------------

function commit({ focusDetail = false } = {}) {
  const url = location.pathname + writeState(state);
  if (url !== location.pathname + location.search) history.pushState(null, "", url);
  refresh({ focusDetail });
}

function select(id, options) {
  state.event = id;
  commit(options);
}

function syncControls() {
  for (const box of document.querySelectorAll("#type-options input")) box.checked = state.types.has(box.value);
  byId("actor").value = state.actor ?? "";
  byId("act").value = state.act ?? "";
  byId("from").value = state.from ?? "";
  byId("to").value = state.to ?? "";
  for (const radio of document.querySelectorAll("input[name=section]")) {
    radio.checked = radio.value === (state.section ?? "");
  }
}

function readControls() {
  state.types = new Set([...document.querySelectorAll("#type-options input:checked")].map((box) => box.value));
  state.actor = byId("actor").value || null;
  state.act = byId("act").value || null;
  state.from = byId("from").value || null;
  state.to = byId("to").value || null;
  state.section = document.querySelector("input[name=section]:checked")?.value || null;
}

// -- filters -------------------------------------------------------------------------------

function option(value, text) {
  const node = el("option", "", text);
  node.value = value;
  return node;
}

function fillSelect(select, items, text) {
  select.append(...items.map((item) => option(item.id, text(item))));
}

function typeChip(type) {
  const box = el("input");
  box.type = "checkbox";
  box.value = type;
  box.id = `type-${type}`;
  box.name = "type";
  const count = el("span", "count", "0");
  return el("label", `chip type-${type}`, box, el("span", "swatch"), typeName(type), count);
}

/** Type checkboxes with how many events each type has once the other filters are applied. */
function updateTypeCounts(events) {
  const options = byId("type-options");
  const counts = new Map();
  for (const event of events) counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
  for (const type of [...counts.keys(), ...state.types]) {
    if (!byId(`type-${type}`)) options.append(typeChip(type));
  }
  for (const label of options.querySelectorAll("label")) {
    const type = label.querySelector("input").value;
    label.querySelector(".count").textContent = String(counts.get(type) ?? 0);
    label.classList.toggle("none", !counts.get(type));
  }
  syncControls();
}

// -- list ----------------------------------------------------------------------------------

function who(event) {
  const names = (actors) => actors.map((a) => a.name).join(", ");
  if (!event.agents.length && !event.addressees.length) return null;
  const text = event.addressees.length
    ? `${names(event.agents) || "?"} → ${names(event.addressees)}`
    : names(event.agents);
  return french(text, "span", "who");
}

function deadlineLine(event) {
  if (!event.deadline) return null;
  return el("span", `deadline-line status-${event.status ?? "unknown"}`, "Deadline ",
    el("time", "", formatPartial(event.deadline)),
    event.status ? el("span", `status status-${event.status}`, event.status) : null);
}

function badges(event) {
  return el("span", "badges",
    el("span", `type-badge type-${event.type}`, typeName(event.type)),
    event.section === "comment" ? el("span", "badge comment", "reader comment") : null,
    event.expected ? el("span", "badge expected", "announced") : null,
    event.outcome ? el("span", "badge outcome", words(event.outcome)) : null,
    ...event.flags.map((flag) => el("span", "badge flag", `⚠ ${words(flag)}`)));
}

function eventItem(event) {
  const button = el("button", `event type-${event.type}`,
    el("span", "when",
      event.date ? el("time", "date", formatPartial(event.date)) : el("span", "date none", "no date"),
      event.precision && event.precision !== "day" ? el("span", "precision", `${event.precision} only`) : null),
    el("span", "what", badges(event), french(event.label, "span", "label"), who(event), deadlineLine(event)));
  button.type = "button";
  Object.assign(button.dataset, { id: event.id, type: event.type, section: event.section ?? "" });
  if (event.date) button.dataset.date = event.date;
  if (event.status) button.dataset.status = event.status;
  if (event.section === "comment") button.classList.add("comment");
  if (event.flags.length) button.classList.add("flagged");
  if (event.id === state.event) button.setAttribute("aria-current", "true");
  return el("li", "", button);
}

function groupKey(event) {
  return event.precision === "year" ? event.date : event.date.slice(0, 7);
}

function renderList(root, events, dated) {
  root.replaceChildren();
  if (!events.length) {
    root.append(el("p", "empty", dated ? "No dated event matches these filters." : "None."));
    return;
  }
  if (!dated) {
    root.append(el("ol", "events", ...events.map(eventItem)));
    return;
  }
  const groups = new Map();
  for (const event of events) groups.set(groupKey(event), [...(groups.get(groupKey(event)) ?? []), event]);
  for (const [key, members] of groups) {
    const heading = key.length === 4 ? `${key} (year only)` : monthHeading(period(key).start);
    root.append(el("section", "month", el("h3", "", heading), el("ol", "events", ...members.map(eventItem))));
  }
}

// -- detail panel --------------------------------------------------------------------------

function row(term, ...definition) {
  if (!definition.some((d) => d !== null && d !== undefined && d !== false)) return null;
  return el("div", "row", el("dt", "", term), el("dd", "", ...definition));
}

function named(name, ...facts) {
  const known = facts.filter(Boolean);
  return el("li", "", french(name, "span", "name"), known.length ? el("span", "muted", ` ${known.join(" · ")}`) : null);
}

function actorList(actors) {
  if (!actors.length) return null;
  return el("ul", "plain", ...actors.map((actor) => named(actor.name, actor.office, actor.kind && words(actor.kind))));
}

function actList(acts) {
  if (!acts.length) return null;
  return el("ul", "plain", ...acts.map((act) => named(act.label, act.kind && words(act.kind),
    act.date && formatPartial(act.date), ...(act.identifiers ?? []))));
}

function sourceList(documents) {
  return documents.length ? el("ul", "plain", ...documents.map((doc) => el("li", "", sourceOf(doc)))) : null;
}

function eventLink(relation, target) {
  const button = el("button", `link type-${target.type}`, el("span", "swatch"), french(target.label ?? target.id));
  button.type = "button";
  button.dataset.id = target.id;
  button.addEventListener("click", () => select(target.id, { focusDetail: true }));
  return el("li", "", el("span", "relation", relation), " ", button,
    target.date ? el("span", "muted", ` ${formatPartial(target.date)}`) : null);
}

function relations(event) {
  const known = [...(timeline?.dated ?? []), ...(timeline?.undated ?? [])];
  const outgoing = event.related.map((r) => eventLink(RELATION_NAMES[r.relation] ?? words(r.relation), r));
  const incoming = known.flatMap((other) => other.related
    .filter((r) => r.id === event.id)
    .map((r) => eventLink(INVERSE[r.relation] ?? `${words(r.relation)} (from)`, other)));
  const items = [...outgoing, ...incoming];
  return items.length ? el("ul", "plain relations", ...items) : null;
}

function dateDetail(event) {
  if (!event.date) return el("span", "muted", "undated: the article gives no date");
  return el("span", "",
    el("time", "strong", formatPartial(event.date)), ` (known to the ${event.precision})`,
    event.dateText ? el("span", "muted", " — written ", french(`« ${event.dateText} »`)) : null);
}

function flagDetail(event) {
  if (!event.flags.length) return null;
  return el("ul", "plain flags", ...event.flags.map((flag) => {
    const weekday = event.date && weekdayOf(event.date);
    const text = flag === "weekday_mismatch" && weekday
      ? `Weekday mismatch: the article writes « ${event.dateText ?? "?"} », `
        + `but ${formatPartial(event.date)} was a ${weekday}.`
      : words(flag);
    return el("li", "flag-note", `⚠ ${text}`);
  }));
}

function deadlineDetail(event) {
  if (!event.deadline) return null;
  return el("span", "",
    el("time", "strong", formatPartial(event.deadline)), ` (known to the ${precisionOf(event.deadline)}) `,
    event.status ? el("span", `status status-${event.status}`, event.status) : null,
    event.status
      ? el("span", "muted block", `${STATUS_EXPLANATIONS[event.status] ?? ""} As of ${formatPartial(TODAY)}.`)
      : null);
}

function highlighted(evidence, dateText) {
  const at = dateText ? evidence.text.indexOf(dateText) : -1;
  const mark = at < 0 ? el("mark", "", evidence.text)
    : el("mark", "", evidence.text.slice(0, at), el("strong", "", dateText), evidence.text.slice(at + dateText.length));
  mark.lang = "fr";
  return mark;
}

function sourceOf(doc) {
  const title = doc.source ? el("a", "", doc.title) : french(doc.title, "cite");
  if (doc.source) { title.href = doc.source; title.lang = "fr"; title.rel = "noopener"; }
  return el("span", "", title, el("span", "muted", `, published ${PUBLISHED.format(new Date(doc.published))}`));
}

function evidenceList(event) {
  if (!event.evidence.length) return el("p", "muted", "No passage recorded.");
  return el("ol", "plain evidence", ...event.evidence.map((evidence) => el("li", "",
    el("blockquote", "", highlighted(evidence, event.dateText)),
    el("p", "where", `Characters ${evidence.start}–${evidence.end} of `, sourceOf(evidence.document)))));
}

function renderEvent(panel, event) {
  const close = el("button", "close", "×");
  close.type = "button";
  close.setAttribute("aria-label", "Close the details");
  close.addEventListener("click", closeDetail);
  const title = french(event.label, "h2");
  title.id = "detail-title";
  title.tabIndex = -1;
  panel.replaceChildren(
    el("div", "detail-head", badges(event), close),
    title,
    el("dl", "facts",
      row("Date", dateDetail(event)),
      row("Data quality", flagDetail(event)),
      row("Deadline", deadlineDetail(event)),
      row("Outcome", event.outcome ? words(event.outcome) : null),
      row("Reported as", event.expected ? "announced, not yet done" : null),
      row("Read in", event.section === "comment" ? "a reader's comment, not the article's own text" : null),
      row("Agents", actorList(event.agents)),
      row("Addressees", actorList(event.addressees)),
      row("Legal acts", actList(event.legalActs)),
      row("Related events", relations(event)),
      row("Reported in", sourceList(event.sources))),
    el("h3", "", "Evidence"),
    evidenceList(event),
    el("p", "iri muted", "IRI ", el("code", "", event.id)));
  panel.classList.add("open");
  panel.dataset.id = event.id;
}

function closeDetail() {
  const id = state.event;
  state.event = null;
  commit();
  const item = id && document.querySelector(`#events .event[data-id="${CSS.escape(id)}"]`);
  if (item) item.focus();
}

async function renderDetail(focus) {
  const panel = byId("detail");
  if (!state.event) {
    panel.classList.remove("open");
    delete panel.dataset.id;
    panel.replaceChildren(
      el("h2", "placeholder-title", "Event details"),
      el("p", "placeholder", "Choose an event to see who acted, what was decided, and the sentence of the "
        + "article that says so."));
    panel.firstChild.id = "detail-title";
    return;
  }
  const id = state.event;
  if (!details.has(id)) details.set(id, await loadEvent(id, TODAY));
  if (id !== state.event) return;
  const event = details.get(id);
  if (event) renderEvent(panel, event);
  else panel.replaceChildren(el("h2", "", "Event not found"), el("p", "", `The store has no event ${id}.`));
  if (focus) byId("detail-title").focus();
}

// -- the whole page ------------------------------------------------------------------------

function summary(dated, undated, total) {
  const shown = dated.length + undated.length;
  const overdue = [...dated, ...undated].filter((e) => e.status === "overdue").length;
  const flagged = [...dated, ...undated].filter((e) => e.flags.length).length;
  const parts = [`${shown} of ${total} events shown (${dated.length} dated, ${undated.length} undated)`];
  if (overdue) parts.push(`${overdue} deadline${overdue > 1 ? "s" : ""} overdue`);
  if (flagged) parts.push(`${flagged} with a data-quality flag`);
  return parts.join(" · ");
}

async function refresh({ focusDetail = false } = {}) {
  const ticket = ++refreshes;
  document.body.dataset.busy = "true"; // until this refresh is drawn: what tests and scripts wait for
  const wanted = { from: state.from, to: state.to, actor: state.actor, act: state.act };
  const key = JSON.stringify(wanted);
  try {
    if (timeline?.key !== key) {
      const loaded = await loadTimeline(wanted, TODAY);
      if (ticket !== refreshes) return;
      timeline = { key, ...loaded };
    }
    const inSection = (e) => !state.section || e.section === state.section;
    const ofType = (e) => !state.types.size || state.types.has(e.type);
    const dated = timeline.dated.filter(inSection);
    const undated = timeline.undated.filter(inSection);
    updateTypeCounts([...dated, ...undated]);
    const shownDated = dated.filter(ofType);
    const shownUndated = undated.filter(ofType);
    drawAxis(byId("axis"), [...shownDated, ...shownUndated],
      { selected: state.event, onSelect: (id) => select(id, { focusDetail: true }), today: TODAY });
    renderList(byId("dated"), shownDated, true);
    renderList(byId("undated"), shownUndated, false);
    byId("undated-note").textContent = state.from || state.to
      ? "Events the articles mention without a date: a date range keeps them, as they cannot be placed."
      : "Events the articles mention without a date.";
    byId("incomplete").hidden = timeline.complete;
    byId("summary").textContent = summary(shownDated, shownUndated, timeline.dated.length + timeline.undated.length);
    byId("error").hidden = true;
    await renderDetail(focusDetail);
  } catch (error) {
    byId("error").textContent = error.message;
    byId("error").hidden = false;
  }
  if (ticket === refreshes) delete document.body.dataset.busy;
}

function describeSources(documents) {
  if (!documents.length) return "The store holds no article yet.";
  if (documents.length === 1) {
    const [doc] = documents;
    const published = PUBLISHED.format(new Date(doc.published));
    return el("span", "", "From ", french(`« ${doc.title} »`, "cite"), `, published ${published}`);
  }
  const first = PUBLISHED.format(new Date(documents[0].published));
  const last = PUBLISHED.format(new Date(documents.at(-1).published));
  return `From ${documents.length} articles published between ${first} and ${last}`;
}

function moveFocus(keydown) {
  const keys = ["ArrowDown", "ArrowUp", "Home", "End"];
  if (!keys.includes(keydown.key) || !keydown.target.matches(".event")) return;
  const items = [...document.querySelectorAll("#events .event")];
  const at = items.indexOf(keydown.target);
  const next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 }[keydown.key];
  if (items[next]) {
    keydown.preventDefault();
    items[next].focus();
  }
}

function wire() {
  const form = byId("filters");
  form.addEventListener("change", () => { readControls(); commit(); });
  form.addEventListener("submit", (submit) => submit.preventDefault());
  form.addEventListener("reset", (reset) => {
    reset.preventDefault();
    state = { ...readState(""), event: state.event };
    syncControls();
    commit();
  });
  byId("events").addEventListener("click", (click) => {
    const item = click.target.closest(".event");
    if (item) select(item.dataset.id, { focusDetail: true });
  });
  byId("events").addEventListener("keydown", moveFocus);
  document.addEventListener("keydown", (keydown) => {
    if (keydown.key === "Escape" && state.event && !keydown.target.matches("select, input")) closeDetail();
  });
  window.addEventListener("popstate", () => { state = readState(location.search); syncControls(); refresh(); });
}

async function start() {
  wire();
  for (const type of Object.keys(TYPE_NAMES)) byId("type-options").append(typeChip(type));
  let catalogue;
  try {
    catalogue = await loadCatalogue();
  } catch (error) {
    byId("sources").textContent = "";
    byId("error").textContent = error.message;
    byId("error").hidden = false;
    return;
  }
  byId("sources").replaceChildren(describeSources(catalogue.documents));
  fillSelect(byId("actor"), catalogue.actors,
    (actor) => (actor.shortName ? `${actor.name} (${actor.shortName})` : actor.name));
  fillSelect(byId("act"), catalogue.legalActs, (act) => act.label);
  syncControls();
  await refresh();
  document.body.dataset.ready = "true";
}

start();
