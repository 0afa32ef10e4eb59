// The time axis: one lane per event type, a dot for a day, a bar for a month or a year (the
// period the date really covers), a hatched bar for a deadline coloured by its status.
// It is the overview; the chronological list below carries the same events for keyboards
// and screen readers, so the marks here are mouse targets only.

import { formatPartial, period } from "./dates.js";
import { typeName } from "./vocabulary.js";

const MONTH = 30.44 * 86400000;
const LABEL_ROOM = 78; // past this share of the width, a deadline's label goes on its left
const SHORT_MONTH = new Intl.DateTimeFormat("en-GB", { month: "short", timeZone: "UTC" });

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The time span to draw: every date and deadline, with a margin so end marks stay inside. */
function domainOf(events) {
  const periods = events.flatMap((e) => [e.date, e.deadline].filter(Boolean).map(period));
  const start = Math.min(...periods.map((p) => p.start));
  const end = Math.max(...periods.map((p) => p.end));
  const margin = Math.max((end - start) * 0.03, 12 * 86400000);
  return { start: start - margin, end: end + margin };
}

/** Tick times and labels: months, quarters, years or decades, whichever keeps about 6 to 24 ticks. */
function ticksOf(domain) {
  const months = (domain.end - domain.start) / MONTH;
  const step = months <= 20 ? 1 : months <= 60 ? 3 : months <= 240 ? 12 : 120;
  const first = new Date(domain.start);
  let year = first.getUTCFullYear();
  let month = Math.ceil((first.getUTCMonth() + (first.getUTCDate() > 1 ? 1 : 0)) / step) * step;
  const ticks = [];
  for (;;) {
    const time = Date.UTC(year, month, 1);
    if (time > domain.end) break;
    const date = new Date(time);
    const label = step >= 12 || date.getUTCMonth() === 0 || !ticks.length
      ? (step >= 12 ? String(date.getUTCFullYear()) : `${SHORT_MONTH.format(date)} ${date.getUTCFullYear()}`)
      : SHORT_MONTH.format(date);
    ticks.push({ time, label, major: date.getUTCMonth() === 0 });
    month += step;
    if (month >= 12) { year += Math.floor(month / 12); month %= 12; }
  }
  return ticks;
}

/** First-fit rows inside a lane, so marks of the same type never cover each other. */
function packRows(items) {
  const rowEnds = [];
  for (const item of items) {
    let row = rowEnds.findIndex((end) => end <= item.from);
    if (row === -1) row = rowEnds.push(0) - 1;
    rowEnds[row] = item.to;
    item.row = row;
  }
  return Math.max(rowEnds.length, 1);
}

function place(node, left, width) {
  node.style.setProperty("left", `${left}%`);
  if (width !== undefined) node.style.setProperty("width", `${width}%`);
}

function eventMark(event, x, selected) {
  const { start, end } = event.span;
  const mark = element("button", `mark type-${event.type} precision-${event.precision}`);
  mark.type = "button";
  mark.tabIndex = -1;
  mark.dataset.id = event.id;
  mark.title = `${typeName(event.type)} · ${formatPartial(event.date)}\n${event.label}`;
  if (event.section === "comment") mark.classList.add("comment");
  if (event.flags.length) mark.classList.add("flagged");
  if (event.id === selected) mark.classList.add("selected");
  if (event.precision === "day") place(mark, x(start));
  else place(mark, x(start), Math.max(x(end) - x(start), 0.6));
  return mark;
}

function deadlineMarks(event, x, selected) {
  const deadline = period(event.deadline);
  const marks = [];
  if (event.span) {
    const link = element("span", "deadline-link");
    place(link, x(event.span.end), Math.max(x(deadline.start) - x(event.span.end), 0));
    marks.push(link);
  }
  const bar = element("span", `deadline status-${event.status ?? "unknown"}`);
  bar.dataset.id = event.id;
  if (event.id === selected) bar.classList.add("selected");
  place(bar, x(deadline.start), Math.max(x(deadline.end) - x(deadline.start), 0.6));
  bar.title = `Deadline ${formatPartial(event.deadline)}${event.status ? ` · ${event.status}` : ""}\n${event.label}`;
  const label = element("span", `deadline-label status-${event.status ?? "unknown"}`,
    `${formatPartial(event.deadline)}${event.status ? ` · ${event.status}` : ""}`);
  const before = x(deadline.end) > LABEL_ROOM;
  if (before) label.classList.add("before");
  place(label, before ? x(deadline.start) : x(deadline.end));
  return [...marks, bar, label];
}

function lane(type, events, x, selected) {
  const row = element("div", `lane type-${type}`);
  row.append(element("span", "lane-label", typeName(type)));
  const track = element("div", "lane-track");
  const items = events.map((event) => {
    const span = event.date ? period(event.date) : null;
    const start = (span ?? period(event.deadline)).start;
    const reach = event.deadline ? period(event.deadline).end : span.end;
    const room = event.deadline && x(reach) <= LABEL_ROOM ? 14 : 1;
    return { event: { ...event, span }, from: x(start) - 1, to: x(reach) + room };
  });
  const rows = packRows(items.sort((a, b) => a.from - b.from));
  track.style.setProperty("--rows", String(rows));
  for (const item of items) {
    const group = element("div", "mark-row");
    group.style.setProperty("--row-index", String(item.row));
    if (item.event.span) group.append(eventMark(item.event, x, selected));
    if (item.event.deadline) group.append(...deadlineMarks(item.event, x, selected));
    track.append(group);
  }
  row.append(track);
  return row;
}

/** The gridlines (with today's line) and the tick labels under the lanes. */
function scaleOf(domain, x, today) {
  const grid = element("div", "grid");
  const scale = element("div", "scale");
  for (const tick of ticksOf(domain)) {
    const line = element("span", tick.major ? "gridline major" : "gridline");
    place(line, x(tick.time));
    grid.append(line);
    const label = element("span", tick.major ? "tick major" : "tick", tick.label);
    place(label, x(tick.time));
    scale.append(label);
  }
  const now = period(today).start;
  if (now > domain.start && now < domain.end) {
    const line = element("span", "today");
    line.title = `Today, ${formatPartial(today)}`;
    place(line, x(now));
    grid.append(line);
  }
  return [grid, scale];
}

/**
 * Draws into `root` (emptied first) the dated events, and the deadlines of undated ones.
 * `onSelect(id)` is called when a mark or a deadline is clicked; `today` (YYYY-MM-DD) is
 * drawn as a line when it falls inside the axis.
 */
export function drawAxis(root, events, { selected, onSelect, today }) {
  root.replaceChildren();
  const drawn = events.filter((event) => event.date || event.deadline);
  if (!drawn.length) {
    root.append(element("p", "empty", "No dated event matches these filters."));
    return;
  }
  const domain = domainOf(drawn);
  const x = (time) => ((time - domain.start) / (domain.end - domain.start)) * 100;
  const [grid, scale] = scaleOf(domain, x, today);
  const types = [...new Set(drawn.map((e) => e.type))].sort((a, b) => typeName(a).localeCompare(typeName(b)));
  const lanes = element("div", "lanes");
  for (const type of types) lanes.append(lane(type, drawn.filter((e) => e.type === type), x, selected));
  const plot = element("div", "plot");
  plot.append(grid, lanes, scale);
  plot.addEventListener("click", (click) => {
    const target = click.target.closest("[data-id]");
    if (target) onSelect(target.dataset.id);
  });
  root.append(plot);
}
