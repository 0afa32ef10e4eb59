// The page's only door to the data: the public GraphQL API at /graphql.
//
// Everything that knows the schema (queries, argument names, enum spellings) is in this
// module; the rest of the page works on the plain objects `normalise` returns, so a change
// of schema is a change here and nowhere else.

const ENDPOINT = "/graphql";

const SUMMARY = `fragment Summary on Event {
  id type label date precision dateText deadline status(asOf: $asOf) section expected outcome flags
  agents { id name } addressees { id name } legalActs { id label }
  related { relation event { id } }
}`;

const CATALOGUE = `query Catalogue {
  documents { id title published source }
  legalActs { id label kind date }
}`;

const ACTORS = `query Actors($after: String) {
  actors(after: $after) { nodes { id name shortName kind } pageInfo { hasNextPage endCursor } }
}`;

const TIMELINE = `query Timeline($from: Date, $to: Date, $actor: ID, $legalAct: ID, $asOf: Date) {
  timeline(from: $from, to: $to, actor: $actor, legalAct: $legalAct) {
    complete
    dated { ...Summary }
    undated { ...Summary }
  }
}
${SUMMARY}`;

const EVENT = `query Event($id: ID!, $asOf: Date) {
  event(id: $id) {
    ...Summary
    agents { id name shortName kind office }
    addressees { id name shortName kind office }
    legalActs { id label kind date identifiers }
    related { relation event { id type label date } }
    evidence { text start end document { id title published source } }
    sources { id title published source }
  }
}
${SUMMARY}`;

/** Runs one GraphQL operation; a transport or GraphQL error becomes one readable Error. */
async function request(query, variables = {}) {
  let response;
  try {
    response = await fetch(ENDPOINT, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/graphql-response+json, application/json" },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new Error(`The GraphQL API at ${ENDPOINT} cannot be reached (${error.message}).`);
  }
  const answer = await response.json().catch(() => null);
  if (answer?.errors?.length) throw new Error(`GraphQL: ${answer.errors.map((e) => e.message).join("; ")}`);
  if (!response.ok || !answer?.data) throw new Error(`GraphQL answered HTTP ${response.status}.`);
  return answer.data;
}

const lower = (value) => (value == null ? null : String(value).toLowerCase());

/** An API event as the page uses it: lower-case vocabularies, flat references. */
function normalise(raw) {
  return {
    id: raw.id,
    type: raw.type,
    label: raw.label,
    date: raw.date ?? null,
    precision: lower(raw.precision),
    dateText: raw.dateText ?? null,
    deadline: raw.deadline ?? null,
    status: lower(raw.status),
    section: lower(raw.section),
    expected: Boolean(raw.expected),
    outcome: lower(raw.outcome),
    flags: raw.flags ?? [],
    agents: raw.agents ?? [],
    addressees: raw.addressees ?? [],
    legalActs: raw.legalActs ?? [],
    related: (raw.related ?? []).map((r) => ({ relation: lower(r.relation), ...r.event })),
    evidence: raw.evidence ?? [],
    sources: raw.sources ?? [],
  };
}

/** The store's articles, actors (every page of them) and legal acts: what the filters offer. */
export async function loadCatalogue() {
  const { documents, legalActs } = await request(CATALOGUE);
  const actors = [];
  for (let after = null, more = true; more;) {
    const page = (await request(ACTORS, { after })).actors;
    actors.push(...page.nodes);
    ({ hasNextPage: more, endCursor: after } = page.pageInfo);
  }
  return { documents, actors, legalActs };
}

/**
 * The events a filter selects: the dated ones in date order, the undated ones apart (no
 * date range leaves them out: they cannot be placed), and whether the server gave them
 * all. A deadline's status is judged on `today`, the reader's day.
 */
export async function loadTimeline({ from, to, actor, act }, today) {
  const { timeline } = await request(TIMELINE, { from, to, actor, legalAct: act, asOf: today });
  return {
    dated: timeline.dated.map(normalise),
    undated: timeline.undated.map(normalise),
    complete: timeline.complete,
  };
}

/** One event with everything the detail panel shows; null when the store has no such event. */
export async function loadEvent(id, today) {
  const { event } = await request(EVENT, { id, asOf: today });
  return event ? normalise(event) : null;
}
