/**
 * Build the CTI library (src/cti, the only copy of its sources) as the npm package `basix-cti` and
 * pack it: `npm run pack:cti`. The LAST line printed is the absolute path of the .tgz.
 *
 * Steps: rolldown bundles the JavaScript — `dist/index.{js,cjs}` (browser-safe: no `node:`
 * imports; `fflate` external), `dist/node.{js,cjs}` (`ws` external), and the `cti-tail` CLI
 * `dist/cli/cti-tail.js` (ESM, shebang); `tsc` (TypeScript 7 emits per-file declarations; it
 * keeps our `.ts` import specifiers, which this script rewrites) gives `dist/types/**.d.ts` for
 * `import` and `dist/types-cjs/**.d.cts` for `require`; then the package.json template
 * (src/cti/package/package.json, dependency versions taken from the root package.json), README,
 * CHANGELOG and MIGRATION go next to them and `npm pack` writes `build/basix-cti-VERSION.tgz`.
 *
 * Options: `--out DIR` (default `build/`), `--no-pack` (build `DIR/basix-cti/` only).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build, type BuildOptions } from 'rolldown';

const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'src', 'cti');
const TEMPLATE = join(SRC, 'package');

const { values } = parseArgs({ options: { out: { type: 'string', default: join(ROOT, 'build') }, 'no-pack': { type: 'boolean', default: false } } });
const OUT = resolve(values.out);
const PKG = join(OUT, 'basix-cti');
const DIST = join(PKG, 'dist');

const say = (s: string): void => {
  process.stderr.write(`pack:cti: ${s}\n`);
};

/** Every file under `dir`, recursively. */
function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

async function bundle(): Promise<void> {
  const external = [/^node:/, 'fflate', 'ws'];
  for (const format of ['esm', 'cjs'] as const) {
    const opts: BuildOptions = {
      input: { index: join(SRC, 'index.ts'), node: join(SRC, 'client', 'node.ts') },
      platform: 'neutral',
      external,
      output: { dir: DIST, format, entryFileNames: format === 'esm' ? '[name].js' : '[name].cjs', chunkFileNames: format === 'esm' ? 'chunks/[name]-[hash].js' : 'chunks/[name]-[hash].cjs' },
      write: true,
      logLevel: 'warn',
    };
    await build(opts);
  }
  const cli: BuildOptions = {
    input: { 'cti-tail': join(SRC, 'cli', 'cti-tail.ts') },
    platform: 'node',
    external,
    output: { dir: join(DIST, 'cli'), format: 'esm', entryFileNames: '[name].js', banner: '#!/usr/bin/env node' },
    write: true,
    logLevel: 'warn',
  };
  await build(cli);
  chmodSync(join(DIST, 'cli', 'cti-tail.js'), 0o755);
}

/** tsc's declarations, twice: `.d.ts` importing `.js` (ESM) and `.d.cts` importing `.cjs` (CommonJS). */
function declarations(): void {
  const tmp = join(OUT, '.dts');
  rmSync(tmp, { recursive: true, force: true });
  execFileSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(TEMPLATE, 'tsconfig.dts.json'), '--outDir', tmp], { stdio: 'inherit' });
  const spec = /((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]+?)\.ts(['"])/g;
  for (const file of walk(tmp)) {
    if (!file.endsWith('.d.ts')) continue;
    const rel = relative(tmp, file);
    if (rel.startsWith('package')) continue;
    const text = readFileSync(file, 'utf8');
    for (const [dir, ext, dext] of [['types', '.js', '.d.ts'], ['types-cjs', '.cjs', '.d.cts']] as const) {
      const target = join(DIST, dir, rel.replace(/\.d\.ts$/, dext));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text.replace(spec, (_m, a: string, p: string, b: string) => `${a}${p}${ext}${b}`));
    }
  }
  rmSync(tmp, { recursive: true, force: true });
}

function manifest(): string {
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const pkg = JSON.parse(readFileSync(join(TEMPLATE, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
  for (const name of Object.keys(pkg.dependencies)) {
    const v = root.dependencies[name];
    if (!v) throw new Error(`${name} is not a dependency of the root package.json`);
    pkg.dependencies[name] = v;
  }
  writeFileSync(join(PKG, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  for (const f of ['README.md', 'CHANGELOG.md', 'MIGRATION.md']) cpSync(join(TEMPLATE, f), join(PKG, f));
  return pkg.version;
}

rmSync(PKG, { recursive: true, force: true });
mkdirSync(DIST, { recursive: true });
await bundle();
say('bundled dist/index.{js,cjs}, dist/node.{js,cjs}, dist/cli/cti-tail.js');
declarations();
say('declarations dist/types/**.d.ts, dist/types-cjs/**.d.cts');
const version = manifest();
if (values['no-pack']) {
  console.log(PKG);
} else {
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', OUT], { cwd: PKG, encoding: 'utf8' }).trim().split('\n').pop()!;
  console.log(join(OUT, out || `basix-cti-${version}.tgz`));
}
