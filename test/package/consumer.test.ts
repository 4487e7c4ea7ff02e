// The basix-cti package as an integrator gets it (issue 10): `npm run pack:cti`'s tarball installed
// into a fresh temporary project (no path to our sources), then there: the vendor README's Node
// example in plain node (CommonJS, only the package name changed) against the simulated PBX; an
// ESM import and a require; tsc --noEmit of a strict TypeScript consumer with moduleResolution
// nodenext and bundler; `npx cti-tail --help`; and the browser entry bundled with no Node built-in.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build, type BuildOptions } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPbxSim, type RunningPbxSim } from '../../src/pbx-sim/server.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const VENDOR_README = join(ROOT, '..', 'shared', 'seed', 'basix_ws_cti-README.md');
const TSC = join(ROOT, 'node_modules', '.bin', 'tsc');
const ROOT_PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };

let work: string;
let app: string;
let sim: RunningPbxSim;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'basix-cti-consumer-'));
  const packed = await run('npx', ['tsx', join(ROOT, 'scripts', 'pack-cti.ts'), '--out', join(work, 'out')], { cwd: ROOT, maxBuffer: 1 << 24 });
  const tgz = packed.stdout.trimEnd().split('\n').at(-1)!;
  expect(tgz).toMatch(/basix-cti-\d+\.\d+\.\d+\.tgz$/);
  app = join(work, 'app');
  await run('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tgz, `@types/node@${ROOT_PKG.devDependencies['@types/node']}`], { cwd: app, maxBuffer: 1 << 24 });
  sim = await startPbxSim({ seed: 3, quiet: true });
}, 180_000);

afterAll(async () => {
  await sim?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Run `node file` in the app until stdout contains every string of `until` (then stop it) or 20 s pass. */
function runUntil(file: string, until: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { cwd: app });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (until.every((u) => stdout.includes(u))) child.kill('SIGTERM');
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ stdout, stderr });
    });
  });
}

// generous: the whole suite shares 2 cores with this in CI
describe('basix-cti installed from its tarball', { timeout: 90_000 }, () => {
  it("the vendor README's Node example runs in plain node with only the package name changed", async () => {
    const readme = readFileSync(VENDOR_README, 'utf8');
    const example = /sample node\.js code[^`]*```\n([\s\S]*?)```/.exec(readme)![1];
    expect(example).toContain("require('basix_ws_cti').message_parser");
    const host = sim.url.replace(/^http:\/\//, '');
    const code = example
      .replace("require('basix_ws_cti')", "require('basix-cti')")
      // where to connect: the simulator instead of the vendor's placeholders
      .replace("'bcs.brastel.com'", `'${host}'`)
      .replace("'YOUR_BASIX_DOMAIN'", "'test1'")
      .replace("'YOUR_API_TOKEN'", "'sim-token'")
      .replace("'YOUR_APP_NAME'", "'vendor-example'")
      .replace('`wss://', '`ws://');
    writeFileSync(join(app, 'example.js'), code);
    const r = await runUntil('example.js', ['on_initial_info for user', 'on_initial_info for channel']);
    expect(r.stdout).toContain('Connection Opened');
    expect(r.stdout).toContain('on_initial_info for channel');
    expect(r.stdout).toContain('on_initial_info for user');
    expect(r.stdout).toMatch(/label: '.+'/);
    expect(r.stderr).toBe('');
  });

  it('require and import both work, and basix-cti/node gives the ws client', async () => {
    const cjs = await run(process.execPath, ['-e', "const m = require('basix-cti'); console.log(typeof m.message_parser.init, typeof m.createCtiClient, typeof require('basix-cti/node').createNodeCtiClient)"], { cwd: app });
    expect(cjs.stdout.trim()).toBe('function function function');
    const esm = await run(
      process.execPath,
      ['--input-type=module', '-e', "import { message_parser, parseMwi } from 'basix-cti'; import { createNodeCtiClient } from 'basix-cti/node'; console.log(typeof message_parser.handle_message, parseMwi('2/5').new, typeof createNodeCtiClient)"],
      { cwd: app },
    );
    expect(esm.stdout.trim()).toBe('function 2 function');
  });

  it('type-checks in a strict TypeScript consumer with moduleResolution nodenext (ESM and CJS files) and bundler', async () => {
    const body = `
const parser = createMessageParser(
  {
    on_initial_info: (element: string, data: Record<string, CtiElement>) => console.log(element, Object.keys(data).length),
    on_info_event: (element, data, event) => console.log(element, event, data),
    on_error: (err: Error) => console.warn(err.message),
  },
  { base_url: 'https://pbx.example.jp/', big_integers: 'string', strict: false },
);
parser.handle_message(new Uint8Array([131, 106]));
const client: CtiClient = createCtiClient({ url: 'wss://pbx.example.jp/basix/api/ws_cti?app_name=x', createSocket: () => { throw new Error('not here'); } });
client.on('info_event', (element: string, data: CtiElement, event: string) => console.log(element, data, event));
const state: ClientState = client.state;
const users: ReadonlyMap<string, CtiElement> = client.store.get('user');
console.log(state, users.size, parseMwi('1/2').saved);
export {};
`;
    writeFileSync(join(app, 'esm.mts'), `import { createMessageParser, createCtiClient, parseMwi, type CtiElement, type CtiClient, type ClientState } from 'basix-cti';\nimport { createNodeCtiClient } from 'basix-cti/node';\nvoid createNodeCtiClient;\n${body}`);
    writeFileSync(join(app, 'cjs.cts'), `import basix = require('basix-cti');\nconst { createMessageParser, createCtiClient, parseMwi } = basix;\ntype CtiElement = basix.CtiElement; type CtiClient = basix.CtiClient; type ClientState = basix.ClientState;\n${body}`);
    writeFileSync(join(app, 'bundler.ts'), `import { createMessageParser, createCtiClient, parseMwi, type CtiElement, type CtiClient, type ClientState } from 'basix-cti';\n${body}`);
    const common = { strict: true, noEmit: true, skipLibCheck: false, target: 'ES2022', types: ['node'] };
    writeFileSync(join(app, 'tsconfig.nodenext.json'), JSON.stringify({ compilerOptions: { ...common, module: 'nodenext', moduleResolution: 'nodenext' }, files: ['esm.mts', 'cjs.cts'] }));
    writeFileSync(join(app, 'tsconfig.bundler.json'), JSON.stringify({ compilerOptions: { ...common, module: 'esnext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'] }, files: ['bundler.ts'] }));
    for (const cfg of ['tsconfig.nodenext.json', 'tsconfig.bundler.json']) {
      const r = await run(TSC, ['-p', cfg], { cwd: app }).catch((e: { stdout: string }) => ({ stdout: e.stdout, failed: true }));
      expect(r.stdout, cfg).toBe('');
    }
  });

  it('npx cti-tail --help prints the usage', async () => {
    const r = await run('npx', ['--no-install', 'cti-tail', '--help'], { cwd: app });
    expect(r.stdout).toMatch(/^usage: cti-tail --url URL/);
  });

  it('the browser entry bundles without any Node built-in (and without ws)', async () => {
    writeFileSync(join(app, 'browser.js'), "import { message_parser, createCtiClient } from 'basix-cti';\nglobalThis.x = [message_parser, createCtiClient];\n");
    const opts: BuildOptions = { input: join(app, 'browser.js'), platform: 'browser', write: false, logLevel: 'silent', cwd: app };
    const out = await build(opts);
    const code = out.output.map((o) => ('code' in o ? o.code : '')).join('\n');
    expect(code).toContain('message_parser');
    expect(code).not.toMatch(/\bnode:|require\(|from ["']ws["']|from ["'](fs|net|http|https|tls|zlib|util|events|stream|crypto)["']/);
  });
});
