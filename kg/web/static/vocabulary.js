// Words for the API's controlled vocabularies, in the order the filters list them.

export const TYPE_NAMES = {
  PUBLICATION: "Publication",
  APPEAL: "Appeal",
  HEARING: "Hearing",
  RULING: "Ruling",
  REQUEST: "Request",
  OPINION: "Opinion",
  LETTER: "Letter",
  COMMITMENT: "Commitment",
  DISCLOSURE: "Disclosure",
  SANCTION: "Sanction",
  STATEMENT: "Statement",
};

export const RELATION_NAMES = {
  decides: "decides",
  responds_to: "responds to",
  targets: "targets",
  discloses: "discloses",
  follows: "follows",
};

export const STATUS_EXPLANATIONS = {
  open: "The deadline has not passed yet.",
  met: "An event in the graph shows the deadline was met.",
  overdue: "The deadline has passed and nothing in the graph shows it was met.",
};

/** A type's name for people; an unknown type (a newer server) is shown as the API spells it. */
export function typeName(type) {
  return TYPE_NAMES[type] ?? type.charAt(0) + type.slice(1).toLowerCase().replaceAll("_", " ");
}

/** A snake_case or UPPER_CASE value as words ("partially_granted" → "partially granted"). */
export function words(value) {
  return String(value).toLowerCase().replaceAll("_", " ");
}
