import { useEffect, useRef, useState } from 'preact/hooks';
import { Button, ErrorBanner } from './ui';

/**
 * A confirmation for an action that cannot be undone: the user types `confirmText` (the thing's name) before the
 * confirm button enables. A native <dialog> (focus is trapped and Escape cancels, by the browser).
 */
export function ConfirmDialog({
  open,
  title,
  message,
  confirmText,
  actionLabel,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  message: string;
  confirmText: string;
  actionLabel: string;
  onConfirm: () => Promise<void> | void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setTyped('');
      setError(undefined);
      d.showModal();
    } else if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} class="dialog" aria-labelledby="confirm-title" onCancel={onCancel}>
      <h2 id="confirm-title">{title}</h2>
      <p>{message}</p>
      <label for="confirm-input">
        Type <code>{confirmText}</code> to confirm
      </label>
      <input
        id="confirm-input"
        value={typed}
        autocomplete="off"
        onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
      />
      <ErrorBanner error={error} />
      <div class="dialog-actions">
        <Button onClick={onCancel}>Cancel</Button>
        <Button
          kind="danger"
          disabled={typed !== confirmText || busy}
          onClick={async () => {
            setBusy(true);
            try {
              await onConfirm();
            } catch (err) {
              setError(err);
            } finally {
              setBusy(false);
            }
          }}
        >
          {actionLabel}
        </Button>
      </div>
    </dialog>
  );
}
