// Errors of the CTI client and the PBX's HTTP API helpers (../shared/PROTOCOL.md "HTTP API", "Corrections").

/**
 * Why a client call was refused:
 * - `BAD_OPTION`: a client option or command argument is not usable (see the message);
 * - `NOT_OPEN`: a command was sent while no connection is open (commands are never queued: the
 *   PBX's state may have changed by the time a connection comes back);
 * - `NO_WEBSOCKET`: no WebSocket to use — neither `createSocket` nor a global `WebSocket`, or
 *   headers (token/ticket auth) are needed and the global `WebSocket` cannot send them
 *   (use `basix-cti/node`, which brings `ws`).
 */
export type CtiClientErrorCode = 'BAD_OPTION' | 'NOT_OPEN' | 'NO_WEBSOCKET';

/** A caller's mistake or a command that cannot be sent now; `code` says which. */
export class CtiClientError extends Error {
  override readonly name = 'CtiClientError';
  constructor(
    readonly code: CtiClientErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${message} (${code})`, options);
  }
}

/**
 * A PBX HTTP API call (`gen_ws_ticket`, `call_user`) that did not succeed: the HTTP `status`
 * (0 when no answer came: network error), the answer's `result_code` (non-zero, e.g. 500) and
 * `error.id` (e.g. `authentication_required`: the session or token is not accepted), when the
 * answer was JSON. `endpoint` is the path called.
 */
export class CtiApiError extends Error {
  override readonly name = 'CtiApiError';
  constructor(
    readonly endpoint: string,
    readonly status: number,
    readonly resultCode: number | undefined,
    readonly errorId: string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
