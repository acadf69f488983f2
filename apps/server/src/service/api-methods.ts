import { DomainService } from "./domain-service.js";
import { ADMIN_OPERATIONS, type AdminOperations } from "./hush-service.js";

/** `DomainService`'s methods that are neither the API's nor admin operations. */
const NOT_OPERATIONS = ["toJSON"] as const;

type MethodName<T> = {
  [K in keyof T]-?: T[K] extends (...args: never[]) => unknown ? K : never;
}[keyof T];

/**
 * An operation of the API: a public method of `DomainService` (where each is declared and
 * documented once) but the admin operations and `toJSON`.
 */
export type ApiMethod = Exclude<
  MethodName<DomainService>,
  keyof AdminOperations | (typeof NOT_OPERATIONS)[number]
>;

const notApi: ReadonlySet<string> = new Set<string>([
  "constructor",
  ...NOT_OPERATIONS,
  ...ADMIN_OPERATIONS,
]);

/** The API's operations at run time, in the order `DomainService` declares them. */
export const API_METHODS: readonly ApiMethod[] = Object.entries(
  Object.getOwnPropertyDescriptors(DomainService.prototype),
)
  .filter(([name, member]) => !notApi.has(name) && typeof member.value === "function")
  .map(([name]) => name as ApiMethod);
