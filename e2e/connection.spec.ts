/** Issue 4, tests 8 and 9: a restarting PBX, and another console taking the connection over. */
import { test, expect } from './fixtures/test';
import { fillConnectionLimit, openCtiSocket, type CtiSocket } from './support/cti-client';
import { YAMADA, inboundCall, park, yamadaCalls } from './support/scenarios';

test('@core a restarting PBX: the console says it is not live, reconnects, and shows no duplicate or ghost calls', async ({
  sim,
  operator,
  consoleGuard,
}) => {
  // While the simulator refuses connections, Chromium logs the failed handshakes itself.
  consoleGuard.allow({ text: /WebSocket connection to '.*\/basix\/api\/ws_cti.*' failed/, why: 'the PBX is down on purpose' });

  await sim.scenario([
    yamadaCalls('ghost'),
    inboundCall({ id: 'stays', from: '0667778888', callingName: 'オオサカ ハナコ', toGroup: 'group2' }),
    inboundCall({ id: 'parked', from: '0451112222', callingName: 'ヨコハマ ジロウ', toGroup: 'group1' }),
    park('parked', 'user1', 903),
  ]);
  await expect(operator.ringing.getByRole('listitem')).toHaveCount(2);
  await expect(operator.parkSlot(903)).toContainText('ヨコハマ ジロウ');

  await sim.restart(3_000);
  await expect(operator.connection).not.toHaveText(/\bLive\b/);
  await expect(operator.ringing).toContainText('STALE');

  // Changes while the console is away: one call ends, one new call rings.
  await sim.scenario([
    { op: 'hangup', call: 'ghost', cause: 'recv_cancel,ORIGINATOR_CANCEL' },
    inboundCall({ id: 'new', from: '0921234567', callingName: 'フクオカ サブロウ', toGroup: 'group3' }),
  ]);

  await expect(operator.connection).toHaveText(/\bLive\b/, { timeout: 15_000 });
  await expect(operator.ringing).not.toContainText('STALE');
  const items = operator.ringing.getByRole('listitem');
  await expect(items).toHaveCount(2);
  await expect(operator.ringingCall('オオサカ ハナコ')).toHaveCount(1);
  await expect(operator.ringingCall('フクオカ サブロウ')).toHaveCount(1);
  await expect(operator.ringingCall(YAMADA.crmName)).toHaveCount(0);
  await expect(operator.parkSlots.getByRole('button').filter({ hasText: 'ヨコハマ ジロウ' })).toHaveCount(1);
  await expect(operator.parkSlot(903)).toContainText('ヨコハマ ジロウ');
});

test('@core connection_replaced shows the banner, and Take over gets the connection back', async ({ context, baseURL, operator, sim }) => {
  const others: CtiSocket[] = [];
  try {
    // Fill the user's connection limit (2 per user and app_name), then "open the console
    // somewhere else" with forced=true: the server closes the oldest connection — the
    // browser's — with connection_replaced.
    others.push(...(await fillConnectionLimit(context, baseURL!)));
    const forced = await openCtiSocket(context, baseURL!, { force: true });
    others.push(forced);
    expect(forced.accepted).toBe(true);

    const banner = operator.page.getByRole('alert').filter({ hasText: 'took over with another console' });
    await expect(banner).toBeVisible();
    await expect(operator.connection).toHaveText(/Stopped/);
    await expect(operator.ringing).toContainText('STALE');

    // Data changes meanwhile must show after taking over.
    await sim.scenario([yamadaCalls()]);
    await operator.takeOver.click();
    await expect(operator.connection).toHaveText(/\bLive\b/);
    await expect(banner).toBeHidden();
    await expect(operator.ringingCall(YAMADA.crmName)).toBeVisible();
    // the take-over itself pushed out the oldest of the other connections
    await expect.poll(() => others.filter((o) => o.systemMsgs.includes('connection_replaced')).length).toBe(1);
  } finally {
    for (const o of others) o.ws.close();
  }
});
