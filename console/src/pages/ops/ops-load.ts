import './ops.css';
import { useCallback, useEffect, useState } from 'preact/hooks';

/** What {@link useLoad} gives a page: the data once loaded, the error of the last load, and a way to load again. */
export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  reload: () => void;
}

/**
 * Load `fn()` when the page opens and whenever `key` changes (a filter in the URL); `reload()` after an action. A
 * reply that arrives after the page moved on is dropped, so a slow answer never overwrites a newer one.
 */
export function useLoad<T>(fn: () => Promise<T>, key = ''): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    fn().then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(undefined);
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [key, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { data, error, reload };
}

/** An ISO instant as the reader's local date and time (the title attribute keeps the exact UTC value). */
export function when(iso: string | undefined | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** Seconds as a short duration: `45s`, `12m`, `3h 5m`, `2d 4h`. */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}
