import type {
  ButtonHTMLAttributes,
  ComponentChildren,
  InputHTMLAttributes,
  TextareaHTMLAttributes,
} from 'preact';
import { ApiError } from '../api';

/** A button; `kind` picks the style (`danger` for destructive actions). Always type=button unless a submit. */
export function Button(
  props: ButtonHTMLAttributes & { kind?: 'primary' | 'danger' | 'plain'; type?: 'button' | 'submit' },
) {
  const { kind = 'plain', type = 'button', class: cls, ...rest } = props;
  return <button type={type} class={`btn btn-${kind} ${cls ?? ''}`} {...rest} />;
}

/** A small label: `ok`, `warn`, `bad` or `info`. */
export function Badge({
  tone = 'info',
  children,
}: {
  tone?: 'ok' | 'warn' | 'bad' | 'info';
  children: ComponentChildren;
}) {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}

/** A page: its title (the one h1), actions beside it, then the content. */
export function Page({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ComponentChildren;
  children?: ComponentChildren;
}) {
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-head">
        <h1 id="page-title">{title}</h1>
        {actions ? <div class="page-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

/** An error from the API (its coded message and hint), or any other error's message. */
export function ErrorBanner({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  const api = error instanceof ApiError ? error : undefined;
  return (
    <div class="error-banner" role="alert">
      <strong>{api ? api.code : 'Error'}</strong> {error instanceof Error ? error.message : String(error)}
      {api?.hint ? <div class="hint">{api.hint}</div> : null}
    </div>
  );
}

/** A labelled input; `error` shows inline under it (and marks it invalid for assistive tech). */
export function Field(
  props: InputHTMLAttributes & {
    label: string;
    name: string;
    error?: string | undefined;
    multiline?: boolean;
    type?: string;
    value?: string;
    autocomplete?: string;
  },
) {
  const { label, name, error, multiline, ...rest } = props;
  const id = `f-${name}`;
  const described = error ? `${id}-err` : undefined;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {multiline ? (
        <textarea
          id={id}
          name={name}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={described}
          {...(rest as TextareaHTMLAttributes)}
        />
      ) : (
        <input
          id={id}
          name={name}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={described}
          {...rest}
        />
      )}
      {error ? (
        <div class="field-error" id={described}>
          {error}
        </div>
      ) : null}
    </div>
  );
}

/** A form that never reloads the page; `error` shows a banner above the submit row. */
export function Form({
  onSubmit,
  error,
  children,
  label,
}: {
  /** Called with the form (read its fields with FormData). */
  onSubmit: (form: HTMLFormElement) => void | Promise<void>;
  error?: unknown;
  children: ComponentChildren;
  label: string;
}) {
  return (
    <form
      class="form"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        void onSubmit(e.currentTarget as HTMLFormElement);
      }}
    >
      <ErrorBanner error={error} />
      {children}
    </form>
  );
}
