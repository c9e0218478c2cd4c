/**
 * Base64 layers where secrets hide: Kubernetes Secret `data:` values, Docker `config.json` `auths.*.auth`, and
 * `Authorization: Basic` headers. Each layer is a decoded text plus the offsets of its encoded form, so findings
 * inside it are reported at the encoded location.
 */
export interface EncodedLayer {
  /** Offset of the encoded value in the outer text, and its length. */
  readonly index: number;
  readonly length: number;
  /** The decoded text to scan (for `user:password` forms, a `password=` line is appended so rules see it). */
  readonly decoded: string;
  readonly kind: 'base64';
}

const K8S_SECRET = /^\s*kind:\s*["']?Secret["']?\s*$/m;
const K8S_JSON_KIND = /"kind"\s*:\s*"Secret"/;
const K8S_VALUE = /^[ \t]+[\w.-]+:[ \t]*["']?(?<v>[A-Za-z0-9+/]{8,}={0,2})["']?[ \t]*$/gm;
const K8S_JSON_VALUE = /"[\w.-]+"\s*:\s*"(?<v>[A-Za-z0-9+/]{8,}={0,2})"/g;
const DOCKER_AUTH = /"auth"\s*:\s*"(?<v>[A-Za-z0-9+/]{8,}={0,2})"/g;
const BASIC_AUTH = /Authorization["']?\s*[:=]\s*["']?Basic\s+(?<v>[A-Za-z0-9+/]{8,}={0,2})/gi;

/** Decode base64 when the result is printable UTF-8 text; undefined otherwise (most base64 is binary). */
export function decodePrintable(b64: string): string | undefined {
  if (b64.length % 4 === 1) return undefined;
  const bytes = Buffer.from(b64, 'base64');
  const text = bytes.toString('utf8');
  if (text.length === 0 || text.includes('\uFFFD')) return undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) return undefined;
  }
  return text;
}

function userPassLayer(text: string): string {
  const colon = text.indexOf(':');
  if (colon <= 0 || text.includes('\n')) return text;
  // The password of a user:password pair is itself the secret: present it the way generic rules expect.
  return `${text}\npassword=${text.slice(colon + 1)}`;
}

function collect(text: string, re: RegExp, userPass: boolean, into: Map<number, EncodedLayer>): void {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const v = m.groups?.['v'];
    if (v === undefined) continue;
    const index = m.index + m[0].lastIndexOf(v);
    if (into.has(index)) continue;
    const decoded = decodePrintable(v);
    if (decoded === undefined) continue;
    into.set(index, {
      index,
      length: v.length,
      decoded: userPass ? userPassLayer(decoded) : decoded,
      kind: 'base64',
    });
  }
}

const TRIGGERS = ['Secret', '"auth"', 'asic', 'ASIC'];

/** Cheap native test: could this content hold a base64 layer at all? (Skips the regexes for most files.) */
export function mayHaveLayers(content: string | Uint8Array): boolean {
  if (typeof content === 'string') return TRIGGERS.some((t) => content.includes(t));
  const buf = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  return TRIGGERS.some((t) => buf.includes(t));
}

/** Find the base64 layers of `text` that decode to text. Cheap when none of the contexts is present. */
export function findEncodedLayers(text: string): EncodedLayer[] {
  const layers = new Map<number, EncodedLayer>();
  if (!mayHaveLayers(text)) return [];
  if (text.includes('Secret') && (K8S_SECRET.test(text) || K8S_JSON_KIND.test(text))) {
    collect(text, K8S_VALUE, false, layers);
    collect(text, K8S_JSON_VALUE, false, layers);
  }
  if (text.includes('"auth"')) collect(text, DOCKER_AUTH, true, layers);
  if (text.includes('asic') || text.includes('ASIC')) collect(text, BASIC_AUTH, true, layers);
  return [...layers.values()];
}
