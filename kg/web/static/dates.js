// Partial dates (YYYY, YYYY-MM, YYYY-MM-DD) as the API gives them: a month or a year is a
// period, never a made-up day, so everything here works on [start, end) periods in UTC.

const DAY = 86400000;
const LONG = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const MONTH = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
const WEEKDAY = new Intl.DateTimeFormat("en-GB", { weekday: "long", timeZone: "UTC" });

/** The precision a partial date is written to: "day", "month" or "year". */
export function precisionOf(partial) {
  return partial.length === 4 ? "year" : partial.length === 7 ? "month" : "day";
}

/** The period a partial date covers, as UTC milliseconds: start inclusive, end exclusive. */
export function period(partial) {
  const [year, month, day] = partial.split("-").map(Number);
  if (month === undefined) return { start: Date.UTC(year, 0, 1), end: Date.UTC(year + 1, 0, 1) };
  if (day === undefined) return { start: Date.UTC(year, month - 1, 1), end: Date.UTC(year, month, 1) };
  const start = Date.UTC(year, month - 1, day);
  return { start, end: start + DAY };
}

/** A partial date for people: "14 Oct 2020", "November 2022", "2031". */
export function formatPartial(partial) {
  const { start } = period(partial);
  const precision = precisionOf(partial);
  if (precision === "year") return partial;
  return precision === "month" ? MONTH.format(start) : LONG.format(start);
}

/** The heading of the month a time falls in ("October 2020"). */
export function monthHeading(time) {
  return MONTH.format(time);
}

/** The real weekday of a day-precise date, to set against the one the article wrote. */
export function weekdayOf(partial) {
  return precisionOf(partial) === "day" ? WEEKDAY.format(period(partial).start) : null;
}

/** Today in the reader's calendar, as YYYY-MM-DD. */
export function todayIso() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
