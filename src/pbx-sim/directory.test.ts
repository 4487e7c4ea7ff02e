import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEndUser, resolveAvatar } from '../cti/index.ts';
import { buildDirectory, landline, randomCaller } from './directory.ts';
import { PbxModel } from './model.ts';
import { createRng } from './prng.ts';
import { withOrigin } from './records.ts';
import { VirtualScheduler } from './scheduler.ts';
import { startPbxSim, type RunningPbxSim } from './server.ts';

/** Valid Japanese numbers as the simulator makes them: landlines 10 digits, mobiles 070/080/090 + 8. */
const VALID = /^(?:0[36][1-9]\d{7}|0(?:45|52|92)[1-9]\d{6}|0466[1-9]\d{5}|0[789]0\d{8})$/;

describe('random callers', () => {
  it('have valid Japanese numbers: Tokyo/Osaka 03/06 + 8 digits, other landlines 10 digits, mobiles 11', () => {
    const rng = createRng(11);
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const n = randomCaller(rng).number;
      expect(n).toMatch(VALID);
      seen.add(n.startsWith('0') && /^0[789]0/.test(n) ? 'mobile' : n.slice(0, n.startsWith('03') || n.startsWith('06') ? 2 : n.startsWith('0466') ? 4 : 3));
    }
    expect([...seen].sort()).toEqual(['03', '045', '0466', '052', '06', '092', 'mobile']);
    for (let i = 0; i < 200; i++) expect(landline(rng)).toHaveLength(10);
  });

  it('an inbound call\'s called_number is the DID dialled (DID block + extension), not the group/user id', () => {
    const rng = createRng(5);
    const dir = buildDirectory(rng);
    const model = new PbxModel({ scheduler: new VirtualScheduler(), rng, directory: dir });
    const g = dir.groups[0];
    const u = dir.users[0];
    const a = model.inboundCall({ from: '0312345678', to: { group: g.id } });
    expect(a.calledNumber).toBe(`031234${g.mainExtension}`);
    expect(a.calledNumber).toMatch(/^0\d{9}$/);
    expect(a.target).toMatchObject({ type: 'group', id: g.id, address: a.calledNumber });
    const b = model.inboundCall({ from: '0612345678', to: { user: u.id } });
    expect(b.calledNumber).toBe(`031234${u.mainExtension}`);
    expect(model.didOf('12')).toBe('0312345000');
  });
});

describe('CRM avatars ({ORIGIN} placeholder, commit 278be65)', () => {
  let sim: RunningPbxSim;
  beforeAll(async () => {
    sim = await startPbxSim({ quiet: true, seed: 2 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('every end_user avatar the console would request loads (no placeholder left, no 404)', async () => {
    const rng = createRng(9);
    const urls = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const raw = withOrigin(randomCaller(rng).endUser, sim.url)!;
      expect(raw).not.toMatch(/ORIGIN/);
      const eu = parseEndUser(raw, `${sim.url}/`);
      for (const item of eu?.items ?? []) urls.add(String(item.avatar));
    }
    expect([...urls].some((u) => u.startsWith(`${sim.url}/basix/avatars/end_users/`))).toBe(true);
    expect([...urls].some((u) => u.endsWith('/static/icons/end_user.png'))).toBe(true);
    for (const u of [...urls].slice(0, 60)) {
      expect(u.startsWith(sim.url)).toBe(true);
      expect((await fetch(u)).status, u).toBe(200);
    }
    // user avatars too
    expect((await fetch(String(resolveAvatar(withOrigin('{ORIGIN}/basix/avatars/users/u1.png', sim.url), `${sim.url}/`)))).status).toBe(200);
  });
});
