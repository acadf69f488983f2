import { OPERATION_KINDS } from "./generated/operation-kinds.js";

// Operations that serve another method rather than being one: `secretValues()` without names.
const INTERNAL = ["allSecretValues"] as const;

/** The name of one of {@link HushClient}'s methods: an operation's name, starting lower-case. */
export type ClientMethod = Exclude<keyof typeof OPERATION_KINDS, (typeof INTERNAL)[number]>;

/**
 * The methods of a `HushClient`, one per operation, read from the generated operations' names
 * alone: importing this loads neither the documents nor graphql.
 */
export const CLIENT_METHODS = Object.keys(OPERATION_KINDS).filter(
  (name) => !(INTERNAL as readonly string[]).includes(name),
) as ClientMethod[];
