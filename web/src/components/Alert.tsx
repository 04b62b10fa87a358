import type { ComponentChildren } from 'preact';

/** An error, announced by screen readers as it appears (role="alert"). */
export function ErrorText(props: { id?: string; children: ComponentChildren }) {
  return (
    <p id={props.id} class="error" role="alert">
      {props.children}
    </p>
  );
}

/** A change that went well, announced politely. */
export function StatusText(props: { children: ComponentChildren }) {
  return (
    <p class="notice" role="status">
      {props.children}
    </p>
  );
}

/** What a section shows when its route is not on this server yet (answers 404). */
export function NotAvailable(props: { what: string }) {
  return <p class="muted not-available">{props.what} is not available on this server yet.</p>;
}
