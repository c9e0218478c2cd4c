import { useState } from 'preact/hooks';
import { ErrorBanner } from './ui';

/**
 * A secret value, masked until the user asks. `load` does the read (so revealing IS the audited read, made only on
 * that click); "Copy" reads and copies without showing. The value is kept only while revealed.
 */
export function MaskedValue({
  load,
  label,
  canRead = true,
}: {
  load: () => Promise<string>;
  label: string;
  canRead?: boolean;
}) {
  const [value, setValue] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [copied, setCopied] = useState(false);
  const reveal = async () => {
    setError(undefined);
    try {
      setValue(await load());
    } catch (err) {
      setError(err);
    }
  };
  const copy = async () => {
    setError(undefined);
    try {
      await navigator.clipboard.writeText(value ?? (await load()));
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <span class="masked">
      {value === undefined ? (
        <span class="mask">
          <span aria-hidden="true">••••••••</span>
          <span class="sr-only">{label} (hidden)</span>
        </span>
      ) : (
        <code class="revealed">{value}</code>
      )}
      {canRead ? (
        <>
          {value === undefined ? (
            <button
              type="button"
              class="btn btn-plain btn-small"
              onClick={reveal}
              aria-label={`Reveal ${label}`}
            >
              Reveal
            </button>
          ) : (
            <button
              type="button"
              class="btn btn-plain btn-small"
              onClick={() => setValue(undefined)}
              aria-label={`Hide ${label}`}
            >
              Hide
            </button>
          )}
          <button type="button" class="btn btn-plain btn-small" onClick={copy} aria-label={`Copy ${label}`}>
            {copied ? 'Copied' : 'Copy'}
          </button>
        </>
      ) : null}
      <ErrorBanner error={error} />
    </span>
  );
}
