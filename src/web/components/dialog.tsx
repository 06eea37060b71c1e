import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

interface Props {
  id: string;
  /** The dialog's name for screen readers (its heading says the same). */
  title: string;
  onClose: () => void;
  children: ComponentChildren;
}

/**
 * A modal dialog (the browser's own <dialog>): it keeps the keyboard inside it, Esc closes it, and
 * on closing the focus goes back where it was (the button that opened it).
 */
export function Dialog({ id, title, onClose, children }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialog.current!.showModal();
    return () => opener?.focus();
  }, []);
  return (
    <dialog id={id} class="dialog" ref={dialog} aria-labelledby={`${id}-title`} onClose={onClose}>
      <header class="dialog-top">
        <h2 id={`${id}-title`}>{title}</h2>
        <button type="button" class="plain" aria-label="Close" onClick={() => dialog.current!.close()}>✕</button>
      </header>
      {children}
    </dialog>
  );
}
