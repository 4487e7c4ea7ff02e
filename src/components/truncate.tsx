import type { ReactNode } from 'react';
import { cleanText } from './text.tsx';

/**
 * One line of PBX/CRM text that truncates with an ellipsis; the full text is in the `title`
 * tooltip (long Japanese names). Rendered as text, never HTML; bidi controls removed and the run
 * isolated (`unicode-bidi: isolate`), see {@link cleanText}.
 */
export function Truncate({ text, className = '', children }: { text: string; className?: string; children?: ReactNode }) {
  const clean = cleanText(text);
  return (
    <span title={clean} className={`block min-w-0 truncate [unicode-bidi:isolate] ${className}`}>
      {children ?? clean}
    </span>
  );
}
