import { redactTokenLike } from "@hush/schema";

// graphql-js quotes offending input in some messages ("String cannot represent a non string
// value: <value>", "…, found <literal>", "Unexpected String \"…\""). Input can be a secret value
// and clients print error messages, so those quotes are cut; the rest of the message stays.
const QUOTED_INPUT: ReadonlyArray<[RegExp, string]> = [
  [/(cannot represent[^:]*):\s[\s\S]*$/, "$1."],
  [/, found [\s\S]*$/, "."],
  [/(Unexpected (?:String|BlockString|Int|Float)) "[\s\S]*?"(?=\.?$)/, "$1"],
];

/**
 * A GraphQL error message without the input values graphql-js quotes in it, and without
 * anything shaped like an API token: names it does quote (an unknown field, argument, enum
 * value or variable) may be a token pasted in the wrong place.
 */
export function scrubMessage(message: string): string {
  let scrubbed = message;
  for (const [pattern, replacement] of QUOTED_INPUT) {
    scrubbed = scrubbed.replace(pattern, replacement);
  }
  return redactTokenLike(scrubbed);
}
