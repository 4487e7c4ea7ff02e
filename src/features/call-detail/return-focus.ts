// Where focus goes when the call dialog closes and the element that opened it is gone: the call
// was parked, answered or ended meanwhile, so its ringing call / queued caller was removed. The
// dialog (ModalDialog) puts focus back on its opener only while that is still in the page;
// otherwise focus would fall to <body> and a keyboard user would start over from the top.
//
// The panels expose nothing for this, so the place is read from the page when the dialog opens:
// the opener's region (a panel: `<section aria-label>` / role region) and its position among
// the region's items like it, found again on close by the region's name and the items' keys.

import { useEffect, useLayoutEffect, useRef } from 'react';

/** Where the dialog was opened from. */
export interface OpenerPlace {
  opener: HTMLElement;
  /** the region (panel) the opener was in, and its accessible name */
  region: HTMLElement | null;
  regionName: string | null;
  /** selects the opener and its siblings in the region (null: the opener is not a list item) */
  itemSelector: string | null;
  /** the opener's key (`data-roving-index`, else `data-call`), and the keys of the items after / before it */
  key: string | null;
  nextKeys: string[];
  prevKeys: string[];
  /** the opener's position among the items */
  index: number;
  /**
   * The regions around `region`, innermost first (e.g. a queue group inside the Queues panel):
   * where to look when `region` itself is gone (the last caller of that group was answered).
   */
  outer: Array<{ el: HTMLElement; name: string | null }>;
}

const REGION = 'section[aria-label], section[aria-labelledby], [role="region"]';
const KEY_ATTRS = ['data-roving-index', 'data-call'] as const;

function regionName(el: Element): string | null {
  const label = el.getAttribute('aria-label');
  if (label) return label;
  const ids = el.getAttribute('aria-labelledby');
  if (!ids) return null;
  return ids
    .split(/\s+/)
    .map((id) => el.ownerDocument.getElementById(id)?.textContent ?? '')
    .join(' ')
    .trim();
}

function keyAttr(el: Element): (typeof KEY_ATTRS)[number] | null {
  return KEY_ATTRS.find((a) => el.hasAttribute(a)) ?? null;
}

/** Record where `opener` is (call it before focus moves into the dialog). */
export function openerPlace(opener: Element | null): OpenerPlace | null {
  if (!(opener instanceof HTMLElement) || opener === opener.ownerDocument.body) return null;
  const region = opener.closest<HTMLElement>(REGION);
  const attr = keyAttr(opener);
  const itemSelector = attr ? `[${attr}]` : opener.parentElement?.tagName === 'LI' ? `li > ${opener.tagName.toLowerCase()}` : null;
  const items = region && itemSelector ? Array.from(region.querySelectorAll<HTMLElement>(itemSelector)) : [];
  const index = items.indexOf(opener);
  const keyOf = (el: Element) => (attr ? el.getAttribute(attr) : null);
  const outer: OpenerPlace['outer'] = [];
  for (let r = region?.parentElement?.closest<HTMLElement>(REGION); r; r = r.parentElement?.closest<HTMLElement>(REGION)) {
    outer.push({ el: r, name: regionName(r) });
  }
  return {
    opener,
    region,
    regionName: region ? regionName(region) : null,
    itemSelector: index >= 0 ? itemSelector : null,
    key: keyOf(opener),
    nextKeys: index >= 0 ? items.slice(index + 1).flatMap((el) => keyOf(el) ?? []) : [],
    prevKeys: index >= 0 ? items.slice(0, index).reverse().flatMap((el) => keyOf(el) ?? []) : [],
    index,
    outer,
  };
}

function focusOn(el: HTMLElement | null | undefined): boolean {
  if (!el || !el.isConnected) return false;
  el.focus();
  return el.ownerDocument.activeElement === el;
}

/** A region again: the same element if still in the page, else the one with the same name. */
function findAgain(el: HTMLElement | null, name: string | null, doc: Document): HTMLElement | null {
  if (el?.isConnected) return el;
  if (name === null) return null;
  return Array.from(doc.querySelectorAll<HTMLElement>(REGION)).find((r) => regionName(r) === name) ?? null;
}

/** The opener's region again, else the nearest region around it that is still there. */
function findRegion(place: OpenerPlace, doc: Document): HTMLElement | null {
  const own = findAgain(place.region, place.regionName, doc);
  if (own) return own;
  for (const o of place.outer) {
    const r = findAgain(o.el, o.name, doc);
    if (r) return r;
  }
  return null;
}

/**
 * Focus the best place left for a dialog whose opener is gone: in the opener's region (or, when
 * that is gone too, the nearest region around it), the item with the opener's key (re-created),
 * else the item that followed it, else the one in its position (the next one, or the last), else
 * the one before it, else the region itself.
 * @returns whether focus moved there
 */
export function focusNearOpener(place: OpenerPlace): boolean {
  const doc = place.opener.ownerDocument;
  const region = findRegion(place, doc);
  if (!region) return false;
  if (place.itemSelector) {
    const items = Array.from(region.querySelectorAll<HTMLElement>(place.itemSelector));
    const attr = keyAttr(place.opener);
    const byKey = (k: string | null) => (k === null || !attr ? undefined : items.find((el) => el.getAttribute(attr) === k));
    for (const k of [place.key, ...place.nextKeys]) if (focusOn(byKey(k))) return true;
    if (items.length > 0 && focusOn(items[Math.min(place.index, items.length - 1)])) return true;
    for (const k of place.prevKeys) if (focusOn(byKey(k))) return true;
  }
  // A region is not focusable by itself: make it so for this once (removed when focus leaves).
  if (!region.hasAttribute('tabindex')) {
    region.setAttribute('tabindex', '-1');
    region.addEventListener('blur', () => region.removeAttribute('tabindex'), { once: true });
  }
  return focusOn(region);
}

const lost = (doc: Document) => !doc.activeElement || doc.activeElement === doc.body || !doc.activeElement.isConnected;

/**
 * For a dialog (mounted = open): when it closes and focus has nowhere to return to — the opener
 * is gone or cannot take focus — focus goes near where the opener was ({@link focusNearOpener})
 * instead of to <body>. Works with ModalDialog's own return to the opener, whichever runs first.
 */
export function useReturnFocusNearOpener(): void {
  const place = useRef<OpenerPlace | null>(null);
  // A layout effect: runs before ModalDialog's (passive) effect moves focus into the dialog.
  useLayoutEffect(() => {
    place.current = openerPlace(document.activeElement);
  }, []);
  useEffect(
    () => () => {
      // Passive cleanups run after the dialog left the page (the rest is no longer inert).
      const p = place.current;
      if (!p) return;
      const doc = p.opener.ownerDocument;
      if (!p.opener.isConnected) {
        if (lost(doc)) focusNearOpener(p);
        return;
      }
      // The opener is there and ModalDialog focuses it; if that does not take (disabled,
      // hidden), still do not leave focus on <body>.
      queueMicrotask(() => {
        if (lost(doc) && !focusOn(p.opener)) focusNearOpener(p);
      });
    },
    [],
  );
}
