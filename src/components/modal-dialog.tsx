import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface ModalDialogProps {
  /** Heading and accessible name of the dialog. */
  title: string;
  /** Called when the dialog should close (Escape, close button, backdrop click). */
  onClose: () => void;
  children: ReactNode;
  /** Extra classes for the dialog box (width). */
  className?: string;
}

/**
 * A modal dialog on the native `<dialog>` element (role dialog, labelled by its heading).
 * Mount it to open it. Escape closes; focus goes into the dialog and back to the element
 * that had it before opening when it closes.
 */
export function ModalDialog({ title, onClose, children, className = '' }: ModalDialogProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (typeof dialog.showModal === 'function') {
      if (!dialog.open) dialog.showModal();
    } else {
      dialog.setAttribute('open', ''); // jsdom / very old browsers
    }
    const onCancel = (e: Event) => {
      e.preventDefault(); // we unmount instead of letting the browser close it
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open && typeof dialog.close === 'function') dialog.close();
      if (previous && previous.isConnected) previous.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      aria-labelledby={headingId}
      onKeyDown={(e) => {
        // Without native showModal (jsdom), keep Escape working.
        if (e.key === 'Escape') {
          e.preventDefault();
          onCloseRef.current();
        }
      }}
      onClick={(e) => {
        if (e.target === ref.current) onCloseRef.current(); // backdrop
      }}
      className={`m-auto max-h-[90vh] w-[min(40rem,95vw)] overflow-hidden rounded-xl border border-slate-300 bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-900/50 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100 ${className}`}
    >
      <div className="flex max-h-[90vh] flex-col">
        <header className="flex items-center gap-2 border-b border-slate-200 px-4 py-2 dark:border-slate-700">
          <h2 id={headingId} className="min-w-0 flex-1 truncate text-base font-semibold" title={title}>
            {title}
          </h2>
          <button type="button" className="btn" onClick={() => onCloseRef.current()} aria-label={t('dialog.close')}>
            <span aria-hidden="true">✕</span>
          </button>
        </header>
        <div className="min-h-0 flex-1 overflow-y-auto p-4">{children}</div>
      </div>
    </dialog>
  );
}
