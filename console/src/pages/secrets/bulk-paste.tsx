import { useState } from 'preact/hooks';
import { Button, Field, Form } from '../../components/ui';
import { parseDotenv } from './dotenv';
import { eachLimited, writeValue } from './secrets-api';

/**
 * Bulk edit by pasting a `.env` into one environment: each `KEY=value` is written as a new version of
 * `<project>/<env>/KEY` (a PUT each, so every key is checked against the caller's policy and audited on its own),
 * and the outcome of each line is listed.
 */
export function BulkPaste({
  project,
  envs,
  onDone,
}: {
  project: string;
  envs: string[];
  onDone: () => void;
}) {
  const [error, setError] = useState<unknown>(undefined);
  const [results, setResults] = useState<{ line: number; text: string; ok: boolean }[]>([]);
  const [busy, setBusy] = useState(false);
  return (
    <section class="panel" aria-label="Paste a .env">
      <h2>Paste a .env</h2>
      <Form
        label="Paste a .env"
        error={error}
        onSubmit={async (form) => {
          const data = new FormData(form);
          const env = String(data.get('env') ?? '').trim();
          const lines = parseDotenv(String(data.get('dotenv') ?? ''));
          setBusy(true);
          setError(undefined);
          try {
            const out = await eachLimited(lines, 4, async (l) => {
              if ('error' in l) return { line: l.line, text: l.error, ok: false };
              try {
                const r = await writeValue(`${project}/${env}/${l.key}`, l.value);
                return { line: l.line, text: `${l.key}: version ${r.version}`, ok: true };
              } catch (err) {
                return {
                  line: l.line,
                  text: `${l.key}: ${err instanceof Error ? err.message : String(err)}`,
                  ok: false,
                };
              }
            });
            setResults(out);
            onDone();
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Field
          label="Environment"
          name="env"
          list="env-names"
          autocomplete="off"
          required
          defaultValue={envs[0] ?? ''}
        />
        <datalist id="env-names">
          {envs.map((e) => (
            <option key={e} value={e} />
          ))}
        </datalist>
        <Field label=".env content" name="dotenv" multiline required />
        <Button kind="primary" type="submit" disabled={busy}>
          Write all
        </Button>
      </Form>
      {results.length ? (
        <ul class="results" aria-label="Paste results">
          {results.map((r) => (
            <li key={r.line} class={r.ok ? 'ok' : 'bad'}>
              line {r.line}: {r.text}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
