import { describe, expect, it } from 'vitest';
import { consoleCsp, cspPlugin } from './csp.ts';

describe('console CSP', () => {
  it('is strict in build: no inline script, images only from self/https/data/blob', () => {
    const csp = consoleCsp(false);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("img-src 'self' https: data: blob:");
    expect(csp).toContain("connect-src 'self' ws: wss:");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("object-src 'none'");
  });
  it('allows the inline React Refresh preamble only in dev', () => {
    expect(consoleCsp(true)).toMatch(/script-src 'self' 'unsafe-inline'/);
  });
  it('the plugin emits one meta tag first in <head>', () => {
    const p = cspPlugin();
    (p.configResolved as (c: { command: string }) => void)({ command: 'build' });
    const hook = p.transformIndexHtml as { handler: () => Array<{ tag: string; attrs: Record<string, string>; injectTo: string }> };
    const [tag] = hook.handler();
    expect(tag).toMatchObject({ tag: 'meta', injectTo: 'head-prepend', attrs: { 'http-equiv': 'Content-Security-Policy', content: consoleCsp(false) } });
  });
});
