import { checksumMatches } from '../../checksum/checksum-token.js';
import { shannonEntropy } from '../../entropy.js';
import type { RuleMatchContext } from '../rule.js';
import { isPlaceholderValue } from '../shared/value-checks.js';

/**
 * `name <sep> value` in env, YAML, JSON, TOML, HCL, code and XML attributes. The value is either quoted (and must
 * close with the same quote) or bare (and ends at whitespace or punctuation).
 */
export function assignmentPattern(words: string, minLength: number): RegExp {
  // A name right after `/` or `\\` is the last segment of a path ('payments/prod/db/password'), not a key.
  const name = `(?<![A-Za-z0-9/\\\\])(?<name>[A-Za-z0-9_.-]{0,40}?(?:${words})[A-Za-z0-9_.-]{0,30}?)`;
  // `=`, `:`, `=>`, `:=`, a typed declaration (`val TOKEN: String =`), or the first two arguments of a call
  // (`define('KEY', '...')`); a plain list of strings (`['password', 'other']`) is not an assignment.
  const typed = `(?:\\s{0,4}:\\s{0,4}[A-Za-z][\\w.<>?\\[\\]]{0,30}\\s{0,4}=)`;
  const call = `(?<=\\(\\s{0,4}["'][A-Za-z0-9_.-]{1,80})["']\\s{0,4},`;
  // Blanks after the separator stay on the line: `AWS_SECRET_ACCESS_KEY=` with nothing after it is empty, and the
  // next line (`AWS_DEFAULT_REGION=us-east-1`) is not its value.
  const sep = `(?:${call}|["']?\\]?(?:${typed}|\\s{0,4}(?:=>|:=|=|:)))[ \\t]{0,4}@?`;
  // Quoted values may hold any non-space character; bare values stop at `;` and `,` (end of statement or item).
  const body = `(?<=["'\`])[^\\s"'\`]{${minLength},200}|[^\\s"'\`;,&]{${minLength},200}`;
  const value = `(?<q>["'\`]?)(?<secret>${body})\\k<q>(?![^\\s;,)}\\]<>/&|"'\`])`;
  return new RegExp(`${name}${sep}${value}`, 'i');
}

function isNameChar(c: number): boolean {
  // [A-Za-z0-9_.-]
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45
  );
}

/**
 * The keywordFollows check of {@link assignmentPattern} (whose keywords are name characters): the name around the
 * keyword runs to the end of its name characters, then an optional quote and `]`, at most four blanks, and then
 * `=`, `:` or `,` must follow — as every separator the pattern accepts begins. Prose mentioning a keyword fails fast.
 */
export function assignmentFollows(text: string, end: number): boolean {
  let i = end;
  while (i < text.length && isNameChar(text.charCodeAt(i))) i++;
  let c = text.charCodeAt(i);
  if (c === 34 || c === 39) c = text.charCodeAt(++i);
  if (c === 93) c = text.charCodeAt(++i);
  for (let n = 0; n < 4 && (c === 32 || (c >= 9 && c <= 13)); n++) c = text.charCodeAt(++i);
  return c === 61 || c === 58 || c === 44;
}

/** Name parts that describe something other than the credential itself (its id, location, size, hash...). */
const NON_SECRET_NAME =
  /(?:^|[_.-])(?:id|ids|url|uri|urls|endpoint|host|path|file|files|dir|type|name|names|length|len|min|max|count|expiry|expires|expiration|ttl|timeout|enabled|enable|disabled|header|prompt|label|policy|format|field|hash|hashed|digest|salt|regex|pattern|rule|param|version|mode|size|limit|prefix|ref|arn|env|var|template|input|class|reset|confirm|confirmation|hint|location|store|provider|manager|placeholder|storage|method|usage|encoding)$|csrf|xsrf|nonce|tokeniz|page_?token|next_?token|public|publishable|max_?tokens|num_?tokens|token_?count|secretkeyref|secretref|secretname/i;

/** Values that are code or configuration references rather than literals. */
function isReference(value: string, quoted: boolean): boolean {
  if (!quoted && /[()[\]{}]/.test(value)) return true;
  // A TypeScript type annotation (`secrets: Pick<Store, 'get'>`, `token: Promise<string>`) names a type, not a value.
  if (!quoted && /^[A-Za-z_$][\w$.]*</.test(value)) return true;
  if (/^[\w.]+\(.*\)$/.test(value) || /^[$%&*!/~@?:]/.test(value) || /^\.\.?\//.test(value)) return true;
  // Generated credentials are printable ASCII; prose, translations and escapes are not.
  if (!/^[\x21-\x7e]+$/.test(value)) return true;
  if (/^(?:urn|arn|uuid|data|file):/i.test(value)) return true;
  // Constants, enum members and slugs (`SHOULD_BE_STRIPPED`, `read-write`) are names, not secrets.
  if (
    /^[A-Za-z]+(?:[_-][A-Za-z]+)*$/.test(value) &&
    (!quoted || /[_-]/.test(value) || value === value.toUpperCase())
  )
    return true;
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value)) return true;
  // CamelCase words (`CKLocationSortDescriptor`) are identifiers; random letters rarely form 3+ letter words.
  if (/^(?:[A-Z]{0,4}[a-z]{3,})+[A-Z]{0,4}$/.test(value)) return true;
  if (/^(?:sha\d*|md5|bcrypt|argon2\w*|pbkdf2\w*|scrypt)[-:$]/i.test(value)) return true;
  if (/^https?:/i.test(value)) return true;
  // A regular expression (`npm_[A-Za-z0-9]{36}`): a character-class range or a counted repetition.
  if (/\[[^\]]*[A-Za-z0-9]-[A-Za-z0-9][^\]]*\]|\{\d+(?:,\d*)?\}/.test(value)) return true;
  return false;
}

/** Hush's public handles: token and secret-id accessors, BYOK import token ids. They name a secret, they are not one. */
const HUSH_PUBLIC_ID = /^(?:acc|sid)_[0-9A-Za-z]{32}$|^imp_[0-9a-f]{24}$/;

/** A value in a checksummed vendor format (GitHub, npm, Hush) whose checksum fails is a fixture, not a token. */
function failsVendorChecksum(value: string): boolean {
  const vendor = /^(?:gh[pousr]_|npm_)([A-Za-z0-9]{30})([A-Za-z0-9]{6})$/.exec(value);
  if (vendor) return !checksumMatches(vendor[1]!, vendor[2]!);
  const hush = /^(hush_[sbr]_[A-Za-z0-9]{43})([A-Za-z0-9]{6})$/.exec(value);
  return hush ? !checksumMatches(hush[1]!, hush[2]!) : false;
}

/** Builds the validate function for a generic assignment rule. */
export function assignmentValidator(minEntropy: number): (ctx: RuleMatchContext) => boolean {
  return ({ secret, match }) => {
    const groups = /^(?<name>[A-Za-z0-9_.-]+)/.exec(match)?.groups;
    const name = groups?.['name'] ?? '';
    if (NON_SECRET_NAME.test(name)) return false;
    const quoted = /["'`]$/.test(match);
    if (
      isReference(secret, quoted) ||
      isPlaceholderValue(secret) ||
      failsVendorChecksum(secret) ||
      HUSH_PUBLIC_ID.test(secret)
    )
      return false;
    if (/password|passwd|secret|token|api_?key/i.test(secret)) return false;
    return shannonEntropy(secret) >= minEntropy;
  };
}
