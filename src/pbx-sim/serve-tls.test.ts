import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tlsFromEnv } from './serve-tls.ts';

describe('tlsFromEnv (npm run serve over https)', () => {
  it('is plain http when nothing is set', async () => {
    expect(await tlsFromEnv({})).toBeUndefined();
  });

  it('reads TLS_CERT and TLS_KEY, and names an unreadable file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tls-'));
    try {
      writeFileSync(join(dir, 'c.pem'), 'CERT');
      writeFileSync(join(dir, 'k.pem'), 'KEY');
      const pair = await tlsFromEnv({ TLS_CERT: join(dir, 'c.pem'), TLS_KEY: join(dir, 'k.pem') });
      expect(String(pair?.cert)).toBe('CERT');
      expect(String(pair?.key)).toBe('KEY');
      await expect(tlsFromEnv({ TLS_CERT: join(dir, 'c.pem'), TLS_KEY: join(dir, 'nope.pem') })).rejects.toThrow(/cannot read .*nope\.pem/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses half a pair and an unknown BASIX_SERVE_TLS', async () => {
    await expect(tlsFromEnv({ TLS_CERT: '/x.pem' })).rejects.toThrow(TypeError);
    await expect(tlsFromEnv({ BASIX_SERVE_TLS: 'yes' })).rejects.toThrow(/self-signed/);
  });

  it('makes a self-signed server certificate for localhost, 127.0.0.1 and HOST', async () => {
    const pair = await tlsFromEnv({ BASIX_SERVE_TLS: 'self-signed', HOST: '192.0.2.10' });
    const cert = new X509Certificate(pair!.cert);
    expect(cert.subjectAltName).toContain('DNS:localhost');
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.subjectAltName).toContain('IP Address:192.0.2.10');
    expect(cert.checkPrivateKey((await import('node:crypto')).createPrivateKey(pair!.key))).toBe(true);
  });
});
