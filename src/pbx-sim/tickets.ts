/**
 * One-time WebSocket tickets (PROTOCOL.md Corrections): `POST /basix/api/gen_ws_ticket` with
 * Basic `DOMAIN:TOKEN` and JSON `{"uri": "/basix/api/ws_cti?..."}` gives a ticket; the client then
 * opens exactly that URI with userinfo `ws_ticket:TICKET`. A ticket is single-use (taken by the
 * first upgrade that presents it, matching or not), expires after `ttlMs`, and cannot carry
 * `full_events`. Time from an injected clock (ms).
 */
import { randomBytes } from 'node:crypto';
import { WS_CTI_PATH } from '../cti/protocol.ts';

/** Why a ticket request is refused: `error.id` of the `{result_code: 500, error}` answer. */
export type TicketRequestError = 'invalid_request' | 'full_events_not_allowed';

/** A ticket request refused. */
export class TicketError extends Error {
  override readonly name = 'TicketError';
  constructor(readonly id: TicketRequestError, message: string) {
    super(message);
  }
}

interface Ticket {
  uri: string;
  domain: string;
  expiresMs: number;
}

/** Issued tickets. */
export class TicketStore {
  private readonly tickets = new Map<string, Ticket>();

  /**
   * @param now clock in ms.
   * @param ttlMs lifetime of a ticket (default 10,000 ms: "expires within seconds").
   * @param maxTickets most outstanding tickets; the oldest go first (default 10,000).
   */
  constructor(
    private readonly now: () => number,
    private readonly ttlMs = 10_000,
    private readonly maxTickets = 10_000,
  ) {}

  /**
   * Issue a ticket for `uri` (a path `/basix/api/ws_cti?…`, at most 2,048 characters).
   * @throws TicketError `invalid_request` for another path or a bad value, `full_events_not_allowed` when it asks for full_events.
   */
  issue(uri: unknown, domain: string): string {
    if (typeof uri !== 'string' || uri.length > 2048) throw new TicketError('invalid_request', '"uri" must be a string (at most 2048 characters)');
    let u: URL;
    try {
      u = new URL(uri, 'http://x');
    } catch {
      throw new TicketError('invalid_request', '"uri" is not a URI path');
    }
    if (!uri.startsWith('/') || u.pathname !== WS_CTI_PATH) throw new TicketError('invalid_request', `"uri" must be ${WS_CTI_PATH}?…`);
    if (u.searchParams.has('full_events')) throw new TicketError('full_events_not_allowed', 'a ticket cannot carry full_events');
    this.sweep();
    const id = randomBytes(24).toString('base64url');
    this.tickets.set(id, { uri, domain, expiresMs: this.now() + this.ttlMs });
    while (this.tickets.size > this.maxTickets) this.tickets.delete(this.tickets.keys().next().value as string);
    return id;
  }

  /**
   * Take (use up) a ticket for an upgrade to `uri` (the request's path and query as sent).
   * @returns the domain it was issued for, or undefined when unknown, expired or for another URI.
   */
  take(ticket: string, uri: string): string | undefined {
    const t = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    if (!t || this.now() > t.expiresMs || t.uri !== uri) return undefined;
    return t.domain;
  }

  private sweep(): void {
    const t = this.now();
    for (const [k, v] of this.tickets) if (t > v.expiresMs) this.tickets.delete(k);
  }
}

/**
 * The ticket of an `Authorization: Basic base64(ws_ticket:TICKET)` header (how `ws` sends URL
 * userinfo `ws_ticket:TICKET@`), or undefined when the header is something else.
 */
export function ticketFromAuth(authHeader: string | undefined): string | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec((authHeader ?? '').trim());
  if (!m) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  if (!text.startsWith('ws_ticket:')) return undefined;
  let t = text.slice('ws_ticket:'.length);
  try {
    t = decodeURIComponent(t);
  } catch {
    /* keep as sent */
  }
  return t || undefined;
}
