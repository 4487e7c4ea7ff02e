// cti-tail: connect to a Basix PBX's ws_cti endpoint and print every parsed message as one JSON
// line (../../../../shared/PROTOCOL.md "Connection"). The integrator's tool to watch a real PBX.
//
//   npm run -s cti:tail -- --url 'wss://HOST/basix/api/ws_cti?app_name=x' --domain D --token T
//   npm run -s cti:tail -- --url 'wss://HOST/basix/api/ws_cti?app_name=x' --cookie 'name=value'
//
//   npm run -s cti:tail -- --url … --domain D --token T --reconnect    # keep watching across drops
//
// `-s` (`--silent`) matters: without it npm prints its banner ("> … cti:tail" lines) on stdout
// before the JSON lines.
//
// Exit codes: 0 the server closed the connection normally (1000/1005) or Ctrl-C; 1 a connection
// error, an HTTP refusal (e.g. 401), an abnormal close, or (with --reconnect) a server stop message;
// 2 bad command-line arguments. With --reconnect only Ctrl-C, a refusal or a stop message end it.

import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { createParserState, parseFrame } from '../parser/parse.ts';
import type { CtiMessage } from '../parser/types.ts';
import { backoffDelayMs } from '../../lib/backoff.ts';
import { connectionErrorText } from './hints.ts';
import { messageToJsonLine } from './json.ts';

const USAGE = `usage: cti-tail --url URL [--domain D --token T | --cookie 'name=value'] [options]

  --url URL        ws_cti endpoint, e.g. wss://pbx.example.jp/basix/api/ws_cti?app_name=tail
  --domain D       Basix domain, for API-token auth (HTTP basic DOMAIN:TOKEN)
  --token T        API token (with --domain)
  --cookie C       session cookie 'name=value' instead of a token
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

function main(): void {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        url: { type: 'string' },
        domain: { type: 'string' },
        token: { type: 'string' },
        cookie: { type: 'string' },
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

  const headers: Record<string, string> = {};
  if (values.domain !== undefined && values.token !== undefined) {
    headers.Authorization = `Basic ${Buffer.from(`${values.domain}:${values.token}`).toString('base64')}`;
  } else if (url.username) {
    // DOMAIN:TOKEN in the URL's userinfo, as in the vendor's Node example.
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    headers.Authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  }
  url.username = '';
  url.password = '';
  if (values.cookie !== undefined) headers.Cookie = values.cookie;
  if (!headers.Authorization && !headers.Cookie) process.stderr.write('cti-tail: no --domain/--token or --cookie: connecting without credentials\n');

  const pingSeconds = Number(values['ping-interval']);
  if (!Number.isFinite(pingSeconds) || pingSeconds < 0) fail(`--ping-interval must be a number of seconds ≥ 0, got ${values['ping-interval']}`, 2);

  const baseUrl = values['base-url'];
  const printSpecs = values['field-specs'];
  const reconnect = values.reconnect;
  /** Set once nothing more is to be done: the exit code. */
  let stopCode: number | undefined;
  /** Reconnect attempts since the last connection that got a message (0-based, for the backoff). */
  let attempt = 0;
  let current: WebSocket | undefined;
  let retryTimer: NodeJS.Timeout | undefined;

  const log = (msg: string): void => {
    process.stderr.write(`cti-tail: ${msg}\n`);
  };
  const stop = (code: number): void => {
    stopCode ??= code;
    process.exitCode = stopCode;
  };

  /** One connection; on its end, either reconnect or leave the exit code set. */
  const connect = (): void => {
    // a new connection sends its field_specs again: a fresh parser per connection
    const state = createParserState({ base_url: baseUrl });
    const ws = new WebSocket(url, { headers, perMessageDeflate: false, rejectUnauthorized: !values.insecure });
    current = ws;
    /** Exit code this connection asks for when it ends, unless reconnecting. */
    let endCode: number | undefined;
    let gotMessage = false;
    let opened = false;
    let awaitingPong = false;
    let pinger: NodeJS.Timeout | undefined;

    ws.on('open', () => {
      opened = true;
      log(`connected to ${url.host}`);
      if (pingSeconds > 0) {
        pinger = setInterval(() => {
          if (awaitingPong) {
            log(`no pong within ${pingSeconds} s: dropping the connection`);
            endCode ??= 1;
            ws.terminate();
            return;
          }
          awaitingPong = true;
          ws.ping();
        }, pingSeconds * 1000);
      }
    });
    ws.on('pong', () => {
      awaitingPong = false;
    });
    ws.on('unexpected-response', (_req, res) => {
      const auth = res.statusCode === 401 || res.statusCode === 403;
      const hint = auth ? ' (check --domain/--token or --cookie)' : '';
      log(`the server refused the WebSocket: HTTP ${res.statusCode} ${res.statusMessage ?? ''}${hint}`);
      endCode = 1;
      // a refused credential will be refused again: never retried
      if (auth) stop(1);
      res.resume();
      ws.terminate();
    });
    ws.on('message', (data, isBinary) => {
      if (!gotMessage) {
        gotMessage = true;
        attempt = 0;
      }
      if (!isBinary) {
        log(`ignoring a text frame: ${String(data).slice(0, 200)}`);
        return;
      }
      const bytes = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;
      let msgs: CtiMessage[];
      try {
        msgs = parseFrame(bytes, state, (err) => log(`bad record: ${err.message}`));
      } catch (err) {
        log(`bad frame (${bytes.byteLength} bytes): ${(err as Error).message}`);
        return;
      }
      for (const m of msgs) {
        if (m.type === 'field_spec' && !printSpecs) continue;
        process.stdout.write(`${messageToJsonLine(m)}\n`);
        if (m.type === 'system_msg' && STOP_MESSAGES.has(m.msg)) {
          log(`server says ${m.msg}${reconnect ? '; not reconnecting' : ''}`);
          // reconnecting would fight another client (replaced, limit) or a closed session (logout)
          if (reconnect) {
            stop(1);
            ws.close(1000);
          }
        }
      }
    });
    ws.on('error', (err) => {
      if (endCode !== undefined) return;
      log(connectionErrorText(err, opened, url));
      endCode = 1;
    });
    ws.on('close', (code, reason) => {
      clearInterval(pinger);
      const normal = code === 1000 || code === 1005;
      if (endCode === undefined) {
        log(`connection closed (code ${code}${reason.length ? `, ${reason.toString()}` : ''})`);
        endCode = normal ? 0 : 1;
      }
      if (stopCode !== undefined || !reconnect) {
        stop(endCode);
        return;
      }
      const delay = backoffDelayMs(attempt++);
      log(`reconnecting in ${(delay / 1000).toFixed(1)} s (attempt ${attempt})`);
      retryTimer = setTimeout(connect, delay);
    });
  };

  process.on('SIGINT', () => {
    stop(0);
    clearTimeout(retryTimer);
    current?.close(1000);
    setTimeout(() => process.exit(0), 1000).unref();
  });
  connect();
}

main();
