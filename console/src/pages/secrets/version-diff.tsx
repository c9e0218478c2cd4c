import { useState } from 'preact/hooks';
import { Button, ErrorBanner } from '../../components/ui';
import { diffLines } from './dotenv';
import { readValue, type SecretMeta } from './secrets-api';

/**
 * A line diff between two readable versions. Asking for it reads both versions (two audited reads), so it is shown
 * only on request, like Reveal.
 */
export function VersionDiff({ path, versions }: { path: string; versions: SecretMeta['versions'] }) {
  const readable = versions.filter((v) => v.state === 'active').map((v) => v.version);
  const [from, setFrom] = useState(readable[readable.length - 2] ?? readable[0] ?? 0);
  const [to, setTo] = useState(readable[readable.length - 1] ?? 0);
  const [diff, setDiff] = useState<ReturnType<typeof diffLines> | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  if (readable.length < 2) return null;
  const pick = (label: string, value: number, set: (n: number) => void) => (
    <label>
      {label}{' '}
      <select
        value={String(value)}
        onChange={(e) => {
          set(Number((e.target as HTMLSelectElement).value));
          setDiff(undefined);
        }}
      >
        {readable.map((v) => (
          <option key={v} value={String(v)}>
            v{v}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <section aria-label="Compare versions">
      <h2>Compare versions</h2>
      <div class="row">
        {pick('From', from, setFrom)}
        {pick('To', to, setTo)}
        <Button
          onClick={async () => {
            setError(undefined);
            try {
              const [a, b] = await Promise.all([readValue(path, from), readValue(path, to)]);
              setDiff(diffLines(a, b));
            } catch (err) {
              setError(err);
            }
          }}
        >
          Show diff
        </Button>
      </div>
      <ErrorBanner error={error} />
      {diff ? (
        <section class="diff" aria-label={`Diff v${from} to v${to}`}>
          {diff.map((d, i) => (
            <div key={i} class={d.op === '+' ? 'add' : d.op === '-' ? 'del' : ''}>
              {d.op} {d.text}
            </div>
          ))}
        </section>
      ) : null}
    </section>
  );
}
