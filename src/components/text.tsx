/**
 * Text from the PBX or the CRM, made safe to show: bidi control characters removed (a caller
 * name with U+202E RIGHT-TO-LEFT OVERRIDE would otherwise display reversed, "evil" → "live",
 * and could reorder the text around it) and the text isolated from its neighbours.
 */
import type { ReactNode } from 'react';

/** U+202A–U+202E (embeddings, overrides), U+2066–U+2069 (isolates), U+200E/F (marks), U+061C (ALM). */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

/** `s` without bidi control characters; `''` for null/undefined. */
export function cleanText(s: string | number | null | undefined): string {
  if (s === null || s === undefined) return '';
  return String(s).replace(BIDI_CONTROLS, '');
}

/**
 * PBX/CRM text as an isolated run (`<bdi>`): bidi controls stripped, so a right-to-left name
 * cannot reorder the numbers or labels next to it. `className` e.g. `block truncate`; `title`
 * (the full text) by default when `truncate` is asked for.
 */
export function UserText({ text, className = '', title, children }: { text: string | null | undefined; className?: string; title?: string | false; children?: ReactNode }) {
  const clean = cleanText(text);
  return (
    <bdi className={className} title={title === false ? undefined : (title ?? (className.includes('truncate') ? clean : undefined))}>
      {children ?? clean}
    </bdi>
  );
}
