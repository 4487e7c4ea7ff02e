// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { focusNearOpener, openerPlace } from './return-focus.ts';

afterEach(() => {
  document.body.innerHTML = '';
});

/** The Queues panel as it renders: one region per group inside the panel's region. */
function queues(groups: Record<string, string[]>): void {
  document.body.innerHTML = `<section aria-label="Queues">${Object.entries(groups)
    .map(
      ([g, callers]) =>
        `<section aria-label="${g}"><ol>${callers.map((c) => `<li><button type="button" data-roving-index="${c}">${c}</button></li>`).join('')}</ol></section>`,
    )
    .join('')}</section>`;
}

describe('focusNearOpener', () => {
  it('when the opener’s whole group is gone, looks in the panel around it (the next caller of another group)', () => {
    queues({ 代表: ['w1'], サポート: ['w2', 'w3'] });
    const opener = document.querySelector<HTMLElement>('[data-roving-index="w1"]')!;
    const place = openerPlace(opener)!;
    expect(place.regionName).toBe('代表');
    expect(place.outer.map((o) => o.name)).toEqual(['Queues']);
    // w1 answered: its group had no one else, so the panel re-renders without it
    queues({ サポート: ['w2', 'w3'] });
    expect(focusNearOpener(place)).toBe(true);
    expect(document.activeElement?.getAttribute('data-roving-index')).toBe('w2');
  });

  it('when the panel is empty too, focuses the panel itself, not <body>', () => {
    queues({ 代表: ['w1'] });
    const place = openerPlace(document.querySelector<HTMLElement>('[data-roving-index="w1"]'))!;
    queues({});
    expect(focusNearOpener(place)).toBe(true);
    expect(document.activeElement).toBe(document.querySelector('section[aria-label="Queues"]'));
  });
});
