/**
 * Whether `value` matches `pattern`, where `*` stands for any run of characters (none
 * included) and every other character for itself; the whole value must match. Linear in the
 * lengths for any pattern (the greedy matcher that backs up to the last `*`), so a pattern of
 * many stars cannot make an exchange expensive, as a regular expression could.
 *
 * @example
 * globMatches("repo:acme/*:ref:refs/heads/main", "repo:acme/app:ref:refs/heads/main"); // true
 */
export function globMatches(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let star = -1;
  let resume = 0;
  while (v < value.length) {
    if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      resume = v;
    } else if (p < pattern.length && pattern[p] === value[v]) {
      p++;
      v++;
    } else if (star !== -1) {
      p = star + 1;
      v = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}

/** Whether `pattern` holds a `*`, so matches it by glob rather than exactly. */
export function isGlob(pattern: string): boolean {
  return pattern.includes("*");
}
