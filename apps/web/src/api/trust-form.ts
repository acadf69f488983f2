/** A claim row of the trust form, as typed. */
export interface ClaimRow {
  name: string;
  value: string;
}

/**
 * The lifetimes the form offers, in minutes: the API's 60 to 43200 seconds (900 by default),
 * in whole minutes.
 */
export const TTL_MINUTES = { min: 1, max: 720, default: 15 } as const;

/** The form's minutes as the API's `ttlSeconds`; throws an error that says what to type. */
export function ttlSecondsOf(minutes: string): number {
  const value = Number(minutes.trim());
  if (!/^[0-9]+$/.test(minutes.trim()) || value < TTL_MINUTES.min || value > TTL_MINUTES.max) {
    throw new Error(
      `The token lifetime is a whole number of minutes from ${TTL_MINUTES.min} to ${TTL_MINUTES.max} (12 hours).`,
    );
  }
  return value * 60;
}

/**
 * The claim rows as the API's claims: blank rows dropped, names and values trimmed; a row with
 * a name and no value (or the reverse) throws an error that names it.
 */
export function claimsOf(rows: readonly ClaimRow[]): ClaimRow[] {
  const claims: ClaimRow[] = [];
  rows.forEach((row, index) => {
    const name = row.name.trim();
    const value = row.value.trim();
    if (name === "" && value === "") return;
    if (name === "" || value === "") {
      throw new Error(
        `Claim ${index + 1} needs both a name and a value (or remove it), such as repository_owner = acme.`,
      );
    }
    claims.push({ name, value });
  });
  return claims;
}

/** A lifetime in seconds as people read it: "15 min", "2 h", "1 h 30 min". */
export function ttlText(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${minutes} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
