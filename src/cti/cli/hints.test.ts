// cti:tail's message for a connection the server drops during the WebSocket handshake (the CLI
// run against such a server: test/golden/example.test.ts).
import { describe, expect, it } from 'vitest';
import { connectionErrorText } from './hints.ts';

const hangUp = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

describe('connectionErrorText', () => {
  it('a hang-up before the handshake completes names the path and the usual one', () => {
    const t = connectionErrorText(hangUp, false, new URL('ws://127.0.0.1:1/wrong/path'));
    expect(t).toMatch(/closed the connection during the WebSocket handshake/);
    expect(t).toContain('/wrong/path');
    expect(t).toContain('/basix/api/ws_cti');
  });

  it('at the usual path it points elsewhere; after the open, or another error, it is the plain message', () => {
    expect(connectionErrorText(hangUp, false, new URL('ws://h/basix/api/ws_cti?app_name=x'))).toMatch(/usual \/basix\/api\/ws_cti: check the host/);
    expect(connectionErrorText(hangUp, true, new URL('ws://h/x'))).toBe('connection error: socket hang up');
    expect(connectionErrorText(new Error('connect ECONNREFUSED 127.0.0.1:1'), false, new URL('ws://h/x'))).toBe(
      'connection error: connect ECONNREFUSED 127.0.0.1:1',
    );
  });
});
