/**
 * `npm run pbx-sim -- [options]`: the simulated Basix PBX on its own HTTP server (login page,
 * session/token auth, CTI WebSocket). See docs/pbx-sim.md.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEMO_ACCOUNTS } from './auth.ts';
import { parseScenario } from './scenario.ts';
import { startPbxSim, WS_PATH } from './server.ts';

const HELP = `Usage: npm run pbx-sim -- [options]

  --port N          listen port (default 8089; 0 = random)
  --host H          listen address (default 127.0.0.1)
  --seed N          PRNG seed (default 1): same seed, same company and traffic
  --speed F         time factor for delays (default 1)
  --users N         number of userN users (default 40)
  --groups N        number of groups (default 5)
  --rate N          random calls per minute (default 4)
  --legacy          also send queued_channel / parked_channel (older servers)
  --quiet           no random traffic (scenario steps and commands only)
  --scenario FILE   run the JSON steps in FILE at start (see docs/pbx-sim.md)
  --control         enable the /__sim/* test-control endpoints
  --load            load mode: 10,000 users, 2,000 live channels, 500 events/s
  --limit N         per-user CTI connection limit (default 3)
  --token T         API token for DOMAIN:TOKEN basic auth (default sim-token; domain test1)
  --help`;

function num(v: string | undefined, name: string, dflt: number | undefined): number | undefined {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n)) {
    console.error(`--${name} must be a number, got "${v}"`);
    process.exit(2);
  }
  return n;
}

const { values: a } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    seed: { type: 'string' },
    speed: { type: 'string' },
    users: { type: 'string' },
    groups: { type: 'string' },
    rate: { type: 'string' },
    legacy: { type: 'boolean' },
    quiet: { type: 'boolean' },
    scenario: { type: 'string' },
    control: { type: 'boolean' },
    load: { type: 'boolean' },
    limit: { type: 'string' },
    token: { type: 'string' },
    help: { type: 'boolean' },
  },
  strict: true,
});

if (a.help) {
  console.log(HELP);
  process.exit(0);
}

const scenario = a.scenario ? parseScenario(readFileSync(a.scenario, 'utf8')) : undefined;
const running = await startPbxSim({
  port: num(a.port, 'port', 8089),
  host: a.host,
  seed: num(a.seed, 'seed', 1),
  speed: num(a.speed, 'speed', 1),
  users: num(a.users, 'users', undefined),
  groups: num(a.groups, 'groups', undefined),
  rate: num(a.rate, 'rate', undefined),
  legacy: a.legacy,
  quiet: a.quiet,
  control: a.control,
  load: a.load,
  scenario,
  connectionLimit: num(a.limit, 'limit', undefined),
  token: a.token,
  log: (l) => console.log(`[pbx-sim] ${l}`),
});
const token = a.token ?? 'sim-token';
const wsUrl = running.url.replace(/^http/, 'ws');
console.log(`Simulated Basix PBX on ${running.url}
  login page:  ${running.url}/basix/login
  CTI socket:  ${wsUrl}${WS_PATH}?app_name=NAME[&full_events=true][&force=true]
  API token:   ${wsUrl.replace('://', `://test1:${token}@`)}${WS_PATH}?app_name=NAME
  accounts:    ${DEMO_ACCOUNTS.map((x) => `${x.username}/${x.password} (${x.role})`).join('\n               ')}
  ${a.control ? 'control:     /__sim/scenario /__sim/reset /__sim/restart /__sim/logout /__sim/state' : ''}`);

const stop = (): void => {
  void running.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
