// cti-tail: connect to a Basix PBX's ws_cti endpoint and print every parsed message as one JSON
// line (../../../../shared/PROTOCOL.md "Connection"). The integrator's tool to watch a real PBX.
// Runs on the library's client (src/cti/client), so reconnects, stop messages and the ticket flow
// behave as they do for every other user of basix-cti.
//
//   npm run -s cti:tail -- --url 'wss://HOST/basix/api/ws_cti?app_name=x' --domain D --token T
//   npm run -s cti:tail -- --url 'wss://HOST/basix/api/ws_cti?app_name=x' --cookie 'name=value'
//   npm run -s cti:tail -- --url … --domain D --token T --ticket        # one-time ticket per connection
//   npm run -s cti:tail -- --url … --domain D --token T --user-name suzuki   # watch one user
//
//   npm run -s cti:tail -- --url … --domain D --token T --reconnect    # keep watching across drops
//
// `-s` (`--silent`) matters: without it npm prints its banner ("> … cti:tail" lines) on stdout
// before the JSON lines. Installed from the basix-cti package it is `npx cti-tail …`.
//
// Exit codes: 0 the server closed the connection normally (1000/1005) or Ctrl-C; 1 a connection
// error, an HTTP refusal (e.g. 401), an abnormal close, or (with --reconnect) a server stop message;
// 2 bad command-line arguments. With --reconnect only Ctrl-C, a refusal or a stop message end it.

import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { createCtiClient, type CtiAuth, type CtiClient } from '../client/client.ts';
import { CtiApiError } from '../client/errors.ts';
import type { CtiSocket, SocketFactory } from '../client/socket.ts';
import { refusedStatus } from '../client/socket.ts';
import { USER_SELECTOR_KEYS, hasAppName, type UserSelector } from '../client/url.ts';
import { CtiProtocolError } from '../parser/errors.ts';
import type { CtiMessage } from '../parser/types.ts';
import { connectionErrorText } from './hints.ts';
import { messageToJsonLine } from './json.ts';

const USAGE = `usage: cti-tail --url URL [--domain D --token T [--ticket] | --cookie 'name=value'] [options]

  --url URL        ws_cti endpoint, e.g. wss://pbx.example.jp/basix/api/ws_cti?app_name=tail
                   (app_name is required; userinfo wss://DOMAIN:TOKEN@HOST/… is token auth too)
  --domain D       Basix domain, for API-token auth (HTTP basic DOMAIN:TOKEN)
  --token T        API token (with --domain)
  --ticket         with --domain/--token: get a one-time ticket per connection
                   (POST /basix/api/gen_ws_ticket) and connect with it; no full_events
  --cookie C       session cookie 'name=value' instead of a token
  --user-id V, --user-name V, --user-label V, --user-extension V, --user-did V, --user-email V
                   a token connection watching one user (one of them); default: none
  --forced         take over when the PBX's limit (2 per user and app_name) is reached: sends
                   forced=true and force=true; default: off
  --base-url B     resolve avatars against B (as opts.base_url); default: left as sent
  --field-specs    also print field_spec messages; default: off
  --insecure       accept a self-signed TLS certificate; default: off
  --reconnect      after a drop or close, connect again (backoff 0.5 s doubling to 30 s, with
                   jitter) with a fresh parser; stops on HTTP 401/403 and on the server's
                   logout, connection_replaced or connection_limit_reached; default: off
  --ping-interval S  send a WebSocket ping every S seconds and drop the connection when the
                   previous one got no pong (a dead network); 0 = never; default: 30
  --help           this text

Prints one JSON line per message: {"type":"initial_info","element":"user","data":{...}} …
(bigints as strings, timestamps in microseconds; Erlang maps as objects, or
{"$map":[[k,v],…]} when a key is not a string or number; bitstrings {"$bitstring":hex,"bits":n},
improper lists {"$improper":[…],"tail":t}, pids/ports/refs {"$pid"|"$port"|"$ref":node,…},
funs {"$fun":…}). Problems and connection events go to stderr;
after a reconnect the server sends every initial_info again, which replaces what came before.`;

/** system_msg names after which the server will not serve this client again (PROTOCOL.md "system_msg"). */
const STOP_MESSAGES = new Set(['connection_limit_reached', 'connection_replaced', 'logout']);

function fail(msg: string, code: number): never {
  process.stderr.write(`cti-tail: ${msg}\n`);
  process.exit(code);
}

const log = (msg: string): void => {
  process.stderr.write(`cti-tail: ${msg}\n`);
};

/** `ws` sockets that send the headers and, every `pingSeconds`, a ping; no pong by the next one drops the connection. */
function pingingSockets(pingSeconds: number, insecure: boolean, onDrop: () => void): SocketFactory {
  return (url, init) => {
    const ws = new WebSocket(url, { headers: init.headers, perMessageDeflate: false, rejectUnauthorized: !insecure });
    if (pingSeconds > 0) {
      let awaitingPong = false;
      let pinger: NodeJS.Timeout | undefined;
      ws.on('open', () => {
        pinger = setInterval(() => {
          if (awaitingPong) {
            log(`no pong within ${pingSeconds} s: dropping the connection`);
            onDrop();
            ws.terminate();
            return;
          }
          awaitingPong = true;
          ws.ping();
        }, pingSeconds * 1000);
      });
      ws.on('pong', () => {
        awaitingPong = false;
      });
      ws.on('close', () => clearInterval(pinger));
    }
    return ws as unknown as CtiSocket;
  };
}

function main(): void {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        url: { type: 'string' },
        domain: { type: 'string' },
        token: { type: 'string' },
        ticket: { type: 'boolean', default: false },
        cookie: { type: 'string' },
        'user-id': { type: 'string' },
        'user-name': { type: 'string' },
        'user-label': { type: 'string' },
        'user-extension': { type: 'string' },
        'user-did': { type: 'string' },
        'user-email': { type: 'string' },
        forced: { type: 'boolean', default: false },
        'base-url': { type: 'string' },
        'field-specs': { type: 'boolean', default: false },
        insecure: { type: 'boolean', default: false },
        reconnect: { type: 'boolean', default: false },
        'ping-interval': { type: 'string', default: '30' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`, 2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (!values.url) fail(`--url is required\n${USAGE}`, 2);
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    fail(`--url is not a URL: ${values.url}`, 2);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') fail(`--url must start with wss:// (or ws://), got ${url.protocol}`, 2);
  if ((values.domain === undefined) !== (values.token === undefined)) fail('--domain and --token go together', 2);
  if (values.ticket && values.domain === undefined && !url.username) fail('--ticket needs --domain and --token (or DOMAIN:TOKEN@ in the URL)', 2);
  const pingSeconds = Number(values['ping-interval']);
  if (!Number.isFinite(pingSeconds) || pingSeconds < 0) fail(`--ping-interval must be a number of seconds ≥ 0, got ${values['ping-interval']}`, 2);

  const selectors = USER_SELECTOR_KEYS.filter((k) => values[k.replace('_', '-') as 'user-id'] !== undefined);
  if (selectors.length > 1) fail(`give one user selector, got ${selectors.map((k) => `--${k.replace('_', '-')}`).join(', ')}`, 2);
  const user = selectors.length === 1 ? ({ [selectors[0]]: values[selectors[0].replace('_', '-') as 'user-id'] } as UserSelector) : undefined;

  let domain = values.domain;
  let token = values.token;
  if (domain === undefined && url.username) {
    // DOMAIN:TOKEN in the URL's userinfo, as in the vendor's Node example
    domain = decodeURIComponent(url.username);
    token = decodeURIComponent(url.password);
  }
  const auth: CtiAuth = domain !== undefined && token !== undefined ? { type: values.ticket ? 'ticket' : 'token', domain, token } : { type: 'session' };
  if (auth.type === 'session' && values.cookie === undefined) log('no --domain/--token or --cookie: connecting without credentials');

  if (!hasAppName(values.url)) log('the --url has no app_name: a Basix PBX requires one (…/basix/api/ws_cti?app_name=NAME)');
  const printSpecs = values['field-specs'];
  const reconnect = values.reconnect;
  let opened = false;
  /** set when cti-tail itself dropped the connection (no pong): an error exit */
  let dropped = false;
  let attempt = 0;
  let exitCode: number | undefined;
  const print = (m: CtiMessage): void => {
    process.stdout.write(`${messageToJsonLine(m)}\n`);
  };

  let client: CtiClient;
  try {
    client = createCtiClient({
      url: values.url,
      auth,
      user,
      forced: values.forced,
      reconnect,
      closeOnStopMessage: reconnect,
      headers: values.cookie === undefined ? undefined : { Cookie: values.cookie },
      parser: { base_url: values['base-url'] },
      createSocket: pingingSockets(pingSeconds, values.insecure, () => (dropped = true)),
    });
  } catch (err) {
    fail((err as Error).message, 2);
  }
  client.on('state', (s) => {
    if (s === 'connecting') {
      opened = false;
      dropped = false;
    }
  });
  client.on('open', () => {
    opened = true;
    log(`connected to ${url.host}`);
  });
  client.on('field_spec', (element, fields) => {
    attempt = 0;
    if (printSpecs) print({ type: 'field_spec', element, fields });
  });
  client.on('initial_info', (element, data) => print({ type: 'initial_info', element, data }));
  client.on('info_event', (element, data, event) => print({ type: 'info_event', element, data, event }));
  client.on('msg', (msg) => print({ type: 'msg', msg }));
  client.on('system_msg', (msg) => {
    print({ type: 'system_msg', msg });
    if (STOP_MESSAGES.has(msg)) log(`server says ${msg}${reconnect ? '; not reconnecting' : ''}`);
  });
  client.on('problem', (err) => {
    if (err instanceof CtiProtocolError && err.index !== undefined) return log(`bad record: ${err.message}`);
    if (err instanceof CtiApiError) return log(`ticket refused: ${err.message}${err.status === 401 || err.status === 403 ? ' (check --domain/--token)' : ''}`);
    if (err.message.startsWith('WebSocket error')) {
      const cause = (err as { cause?: unknown }).cause;
      const status = refusedStatus(cause instanceof Error ? { message: cause.message } : cause);
      if (status !== undefined) {
        const auth401 = status === 401 || status === 403;
        return log(`the server refused the WebSocket: HTTP ${status}${auth401 ? ' (check --domain/--token or --cookie)' : ''}`);
      }
      return log(connectionErrorText(cause instanceof Error ? cause : err, opened, url));
    }
    if (err.message.startsWith('text frame')) return log(`ignoring a ${err.message}`);
    log(`bad frame: ${err.message}`);
  });
  client.on('close', ({ code, reason, retryInMs }) => {
    if (!dropped) log(`connection closed (code ${code}${reason ? `, ${reason}` : ''})`);
    if (retryInMs !== undefined) log(`reconnecting in ${(retryInMs / 1000).toFixed(1)} s (attempt ${++attempt})`);
    else exitCode ??= !dropped && opened && (code === 1000 || code === 1005) ? 0 : 1;
  });
  client.on('stop', (reason) => {
    if (reason === 'stopped') exitCode = 0;
    else if (reason === 'refused' || (reconnect && STOP_MESSAGES.has(reason))) exitCode = 1;
    process.exitCode = exitCode ?? 1;
  });

  process.on('SIGINT', () => {
    client.stop();
    setTimeout(() => process.exit(0), 1000).unref();
  });
  client.start();
}

main();
