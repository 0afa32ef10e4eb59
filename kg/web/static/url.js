// The page's state lives in its query string, so a view (filters and the open event) can be
// shared as a link and survives a reload:
//   ?type=RULING,APPEAL&actor=<IRI>&act=<IRI>&from=2020-01-01&to=2020-12-31&section=comment&event=<IRI>

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const SECTIONS = new Set(["body", "comment"]);

/** The state a query string describes; unknown or malformed values are dropped, not guessed. */
export function readState(search) {
  const params = new URLSearchParams(search);
  const day = (name) => (DAY_PATTERN.test(params.get(name) ?? "") ? params.get(name) : null);
  const types = (params.get("type") ?? "").split(",").filter((t) => /^[A-Z_]+$/.test(t));
  return {
    types: new Set(types),
    actor: params.get("actor") || null,
    act: params.get("act") || null,
    from: day("from"),
    to: day("to"),
    section: SECTIONS.has(params.get("section")) ? params.get("section") : null,
    event: params.get("event") || null,
  };
}

/** The query string (with its "?", or "" when nothing is set) for a state. */
export function writeState(state) {
  const params = new URLSearchParams();
  if (state.types.size) params.set("type", [...state.types].sort().join(","));
  for (const name of ["actor", "act", "from", "to", "section", "event"]) {
    if (state[name]) params.set(name, state[name]);
  }
  const search = params.toString();
  return search ? `?${search}` : "";
}
