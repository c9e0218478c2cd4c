/** `s` as one POSIX shell word in single quotes (a `'` inside becomes `'\''`): safe to paste or to write to a script. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `s` as one shell word for a message a user copies: bare when no character needs quoting, else {@link shellQuote}. */
export function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : shellQuote(s);
}
