import { describe, expect, it } from 'vitest';
import { consoleCsp, consoleCspHeader, cspPlugin } from './csp.ts';

describe('console CSP', () => {
  it('is strict in build: no inline script, images only from self/https/data/blob', () => {
    const csp = consoleCsp(false);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("img-src 'self' http: https: data: blob:");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).toContain("worker-src 'self';");
    expect(csp).toContain("object-src 'none'");
  });
  it("dev lets Vite's HMR socket and blob workers through", () => {
    expect(consoleCsp(true)).toContain("connect-src 'self' ws: wss:");
    expect(consoleCsp(true)).toContain("worker-src 'self' blob:");
  });
  it('the HTTP header forbids framing and names the own WebSocket origin, nothing else', () => {
    const h = consoleCspHeader('https://console.example.jp:8443');
    expect(h).toContain("frame-ancestors 'none'");
    expect(h).toContain("connect-src 'self' wss://console.example.jp:8443;");
    expect(h).toContain("worker-src 'self';");
    expect(h).not.toMatch(/connect-src[^;]*(ws:|wss:)(\s|;)/);
    expect(consoleCspHeader('http://127.0.0.1:8080')).toContain("connect-src 'self' ws://127.0.0.1:8080;");
    // a Host that is not a plain host[:port] is left out rather than written into the header
    expect(consoleCspHeader("http://x; script-src 'unsafe-inline'")).toContain("connect-src 'self';");
    expect(consoleCspHeader()).toContain("connect-src 'self';");
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
