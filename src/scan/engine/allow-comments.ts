const ALLOW = /hush:allow(?![\w-])(?<ids>(?:[ \t]+[a-z0-9][a-z0-9-]*(?:[ \t]*,[ \t]*[a-z0-9][a-z0-9-]*)*)?)/;

/**
 * True when `line` carries a `hush:allow` comment that covers `ruleId`: a bare `hush:allow` allows every rule,
 * `hush:allow rule-a, rule-b` only those. Comment syntax is free (`#`, `//`, `<!-- -->`), so any language works.
 */
export function allowsRule(line: string, ruleId: string): boolean {
  if (!line.includes('hush:allow')) return false;
  const m = ALLOW.exec(line);
  if (!m) return false;
  const ids = (m.groups?.['ids'] ?? '').trim();
  if (ids === '') return true;
  return ids.split(/[ \t]*,[ \t]*|[ \t]+/).includes(ruleId);
}
