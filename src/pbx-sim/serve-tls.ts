/**
 * The certificate `npm run serve` uses for https (issue 9: a PBX's `Secure` session cookie is
 * dropped by the browser on a plain-http page on the LAN). From files (`TLS_CERT`, `TLS_KEY`,
 * PEM), or made at start (`BASIX_SERVE_TLS=self-signed`, with the `selfsigned` package) for a
 * reception PC that can accept a self-signed certificate once; none → plain http.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { generate } from 'selfsigned';

/** A PEM certificate (chain) and its private key. */
export interface TlsPair {
  cert: string | Buffer;
  key: string | Buffer;
}

/**
 * A self-signed certificate valid for `localhost`, `127.0.0.1`, this machine's host name and
 * `names` (host names or IP addresses the reception PCs use), RSA 2048, valid one year.
 */
export async function selfSignedCertificate(names: readonly string[] = []): Promise<TlsPair> {
  const all = [...new Set(['localhost', '127.0.0.1', hostname(), ...names].filter((n) => n && n !== '0.0.0.0' && n !== '::'))];
  const pems = await generate([{ name: 'commonName', value: all[0] }], {
    keySize: 2048,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: all.map((n) => (isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })) },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/**
 * TLS from the environment: `TLS_CERT` + `TLS_KEY` (PEM files; both or neither), else
 * `BASIX_SERVE_TLS=self-signed` (a certificate made now for `HOST` too), else undefined (http).
 * @throws TypeError when only one of `TLS_CERT`/`TLS_KEY` is set or `BASIX_SERVE_TLS` has another value;
 *   Error naming the file when a certificate or key file cannot be read.
 */
export async function tlsFromEnv(env: NodeJS.ProcessEnv): Promise<TlsPair | undefined> {
  const certFile = env.TLS_CERT?.trim();
  const keyFile = env.TLS_KEY?.trim();
  if (!!certFile !== !!keyFile) throw new TypeError('TLS_CERT and TLS_KEY go together: set both (PEM files) or neither');
  if (certFile && keyFile) {
    const read = (f: string): Buffer => {
      try {
        return readFileSync(f);
      } catch (e) {
        throw new Error(`cannot read ${f}: ${(e as Error).message}`);
      }
    };
    return { cert: read(certFile), key: read(keyFile) };
  }
  const mode = env.BASIX_SERVE_TLS?.trim();
  if (!mode || mode === '0') return undefined;
  if (mode !== 'self-signed') throw new TypeError(`BASIX_SERVE_TLS must be "self-signed" (or use TLS_CERT/TLS_KEY), got "${mode}"`);
  return selfSignedCertificate(env.HOST ? [env.HOST] : []);
}
