/**
 * Helpers for component tests (jsdom): English i18n, a clean store with a live connection, and
 * made-up CTI records.
 */
import { initI18n } from '../i18n/index.ts';
import { useConsoleStore } from '../stores/console-store.ts';
import { initialConsoleData } from '../stores/console-state.ts';
import type { Channel } from '../stores/cti-types.ts';

initI18n('en');

type ConsoleState = ReturnType<typeof useConsoleStore.getState>;

/** Reset the store to empty + live, then apply `patch`. */
export function seedStore(patch: Partial<ConsoleState> = {}): void {
  const base = initialConsoleData();
  useConsoleStore.setState({
    ...base,
    connection: { ...base.connection, status: 'live', lastUpdateAt: Date.now() },
    ...patch,
  });
}

/** A Map keyed by `String(key(v))`. */
export function mapOf<T>(items: T[], key: (v: T) => unknown): Map<string, T> {
  return new Map(items.map((v) => [String(key(v)), v]));
}

/** A made-up inbound channel. `agoSec` sets state.ts relative to now. */
export function channel(uuid: string, agoSec: number, extra: Partial<Channel> = {}): Channel {
  const ts = (Date.now() - agoSec * 1000) * 1000;
  return {
    uuid,
    direction: 'inbound',
    peer_location: 'external',
    calling_number: '0312345678',
    calling_name: '0312345678',
    offer_timestamp: ts,
    state: { ts, name: 'calling', data: {} },
    ...extra,
  } as Channel;
}
