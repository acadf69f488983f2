import { Kind } from "../graphql-js.js";
import { badInput } from "./bad-input.js";
import type { ScalarImplementation } from "./scalar-implementation.js";

// A calendar date, optionally with a time and then a mandatory offset: a time without an offset
// would be read in the server's local zone, which is never what a caller means.
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2})))?$/;

const RULE =
  "a DateTime must be an ISO-8601 string with a time zone, e.g. 2026-11-27T09:30:00.000Z, or a date such as 2026-11-27";

/** `DateTime`: Dates are sent as ISO-8601 strings in UTC; input strings become Dates. */
export const dateTimeScalar: ScalarImplementation<Date> = {
  serialize(value) {
    const date = value instanceof Date ? value : typeof value === "string" ? new Date(value) : null;
    if (date === null || Number.isNaN(date.getTime())) {
      throw new TypeError("DateTime cannot represent a value that is not a valid Date.");
    }
    return date.toISOString();
  },
  parseValue(value) {
    if (typeof value !== "string") throw badInput(`Invalid DateTime: ${RULE}.`);
    return parseIsoDateTime(value);
  },
  parseLiteral(node) {
    if (node.kind !== Kind.STRING) throw badInput(`Invalid DateTime: ${RULE}.`);
    return parseIsoDateTime(node.value);
  },
};

/** Parses a strict ISO-8601 date or date-time; throws a BAD_USER_INPUT GraphQL error otherwise. */
export function parseIsoDateTime(text: string): Date {
  const match = text.length <= 64 ? ISO_DATE_TIME.exec(text) : null;
  if (match === null) throw badInput(`Invalid DateTime: ${RULE}.`);
  const [, year, month, day, hour = "0", minute = "0", second = "0", offsetHours, offsetMinutes] =
    match;
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  const inRange =
    Number(month) >= 1 &&
    Number(month) <= 12 &&
    Number(day) >= 1 &&
    Number(day) <= daysInMonth &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second) <= 59 &&
    Number(offsetHours ?? 0) <= 23 &&
    Number(offsetMinutes ?? 0) <= 59;
  const date = new Date(text);
  if (!inRange || Number.isNaN(date.getTime())) {
    throw badInput(`Invalid DateTime: ${RULE}.`);
  }
  return date;
}
