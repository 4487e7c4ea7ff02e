// cti-tail: connect to a Basix PBX's ws_cti endpoint and print every parsed message as one JSON
// line (../../../../shared/PROTOCOL.md "Connection"). The integrator's tool to watch a real PBX.
//
//   npm run cti:tail -- --url 'wss://HOST/basix/api/ws_cti?app_name=x' --domain D --token T
//   npm run cti:tail -- --url 'wss://HOST/basix/api/ws_cti?app_name=x' --cookie 'name=value'
//
// Exit codes: 0 the server closed the connection normally (1000/1005) or Ctrl-C; 1 a connection
// error, an HTTP refusal (e.g. 401) or an abnormal close; 2 bad command-line arguments.

import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { createParserState, parseFrame } from '../parser/parse.ts';
import type { CtiMessage } from '../parser/types.ts';

const USAGE = `usage: cti-tail --url URL [--domain D --token T | --cookie 'name=value'] [options]

  --url URL        ws_cti endpoint, e.g. wss://pbx.example.jp/basix/api/ws_cti?app_name=tail
  --domain D       Basix domain, for API-token auth (HTTP basic DOMAIN:TOKEN)
  --token T        API token (with --domain)
  --cookie C       session cookie 'name=value' instead of a token
  --base-url B     resolve avatars against B (as opts.base_url); default: left as sent
  --field-specs    also print field_spec messages; default: off
  --insecure       accept a self-signed TLS certificate; default: off
  --help           this text

Prints one JSON line per message: {"type":"initial_info","element":"user","data":{...}} …
(bigints as strings, timestamps in microseconds). Problems go to stderr.`;

/** JSON for one message: bigint as a decimal string (µs timestamps stay numbers). */
function messageToJsonLine(m: CtiMessage): string {
  return JSON.stringify(m, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

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

  const state = createParserState({ base_url: values['base-url'] });
  const printSpecs = values['field-specs'];
  const ws = new WebSocket(url, { headers, perMessageDeflate: false, rejectUnauthorized: !values.insecure });
  let exitCode: number | undefined;

  ws.on('open', () => process.stderr.write(`cti-tail: connected to ${url.host}\n`));
  ws.on('unexpected-response', (_req, res) => {
    const hint = res.statusCode === 401 || res.statusCode === 403 ? ' (check --domain/--token or --cookie)' : '';
    process.stderr.write(`cti-tail: the server refused the WebSocket: HTTP ${res.statusCode} ${res.statusMessage ?? ''}${hint}\n`);
    exitCode = 1;
    res.resume();
    ws.terminate();
    process.exitCode = 1;
  });
  ws.on('message', (data, isBinary) => {
    if (!isBinary) {
      process.stderr.write(`cti-tail: ignoring a text frame: ${String(data).slice(0, 200)}\n`);
      return;
    }
    const bytes = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;
    let msgs: CtiMessage[];
    try {
      msgs = parseFrame(bytes, state, (err) => process.stderr.write(`cti-tail: bad record: ${err.message}\n`));
    } catch (err) {
      process.stderr.write(`cti-tail: bad frame (${bytes.byteLength} bytes): ${(err as Error).message}\n`);
      return;
    }
    for (const m of msgs) {
      if (m.type === 'field_spec' && !printSpecs) continue;
      process.stdout.write(`${messageToJsonLine(m)}\n`);
      if (m.type === 'system_msg' && (m.msg === 'connection_limit_reached' || m.msg === 'connection_replaced' || m.msg === 'logout')) {
        process.stderr.write(`cti-tail: server says ${m.msg}\n`);
      }
    }
  });
  ws.on('error', (err) => {
    if (exitCode !== undefined) return;
    process.stderr.write(`cti-tail: connection error: ${err.message}\n`);
    exitCode = 1;
    process.exitCode = 1;
  });
  ws.on('close', (code, reason) => {
    const normal = code === 1000 || code === 1005;
    if (exitCode === undefined) {
      process.stderr.write(`cti-tail: connection closed (code ${code}${reason.length ? `, ${reason.toString()}` : ''})\n`);
      exitCode = normal ? 0 : 1;
    }
    process.exitCode = exitCode;
  });
  process.on('SIGINT', () => {
    exitCode = 0;
    process.exitCode = 0;
    ws.close(1000);
    setTimeout(() => process.exit(0), 1000).unref();
  });
}

main();
