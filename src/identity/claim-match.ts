/**
 * Match a claim value against a bound value: exact, or a glob where `*` matches any run of characters
 * (`repo:acme/*:ref:refs/heads/main`). No regular expression is built from configuration.
 */
export function claimGlobMatches(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const parts = pattern.split('*');
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (!value.startsWith(first) || value.length < first.length + last.length) return false;
  let at = first.length;
  for (const part of parts.slice(1, -1)) {
    const found = value.indexOf(part, at);
    if (found < 0) return false;
    at = found + part.length;
  }
  return value.length - last.length >= at && value.endsWith(last);
}

/**
 * Check bound claims: every bound claim must be present and one of its allowed values (string or glob) must match
 * the claim (a string, or any element of an array claim). Returns the first problem, or undefined when all match.
 * The problem names the claim, never its value (claims can carry personal data).
 */
export function boundClaimsProblem(
  bound: Readonly<Record<string, string | readonly string[]>>,
  claims: Readonly<Record<string, unknown>>,
): string | undefined {
  for (const [name, allowed] of Object.entries(bound)) {
    const patterns = typeof allowed === 'string' ? [allowed] : allowed;
    const raw = claims[name];
    const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
    if (raw === undefined) return `the JWT has no "${name}" claim, which the role requires`;
    if (!values.some((v) => patterns.some((p) => claimGlobMatches(p, v)))) {
      return `the JWT's "${name}" claim does not match the role's bound values`;
    }
  }
  return undefined;
}
