import type { ReactNode } from 'react';

/**
 * One line of text that truncates with an ellipsis; the full text is in the `title` tooltip
 * (long Japanese names). Rendered as text, never HTML.
 */
export function Truncate({ text, className = '', children }: { text: string; className?: string; children?: ReactNode }) {
  return (
    <span title={text} className={`block min-w-0 truncate ${className}`}>
      {children ?? text}
    </span>
  );
}
