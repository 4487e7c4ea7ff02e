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
  --limit N         CTI connections per user and app_name (default 2)
  --token T         API token for DOMAIN:TOKEN basic auth (default sim-token; domain test1)
  --strict          only the documented PBX surface (env PBX_SIM_STRICT=1): no /basix/api/session,
                    no reply to bad commands, login goes to the PBX web app /basix/app/, no domain
                    park slot range
  --tls             https/wss with a self-signed certificate (env PBX_SIM_TLS=1); session cookie
                    Secure; SameSite=None
  --legacy-force    also honour force=true as the take-over flag (env PBX_SIM_LEGACY_FORCE=1;
                    default only forced=true)
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
    strict: { type: 'boolean' },
    tls: { type: 'boolean' },
    'legacy-force': { type: 'boolean' },
    help: { type: 'boolean' },
  },
  strict: true,
});

if (a.help) {
  console.log(HELP);
  process.exit(0);
}

const envFlag = (v: string | undefined): boolean => v === '1' || v === 'true';
const strict = a.strict ?? envFlag(process.env.PBX_SIM_STRICT);
const tls = a.tls ?? envFlag(process.env.PBX_SIM_TLS);
const legacyForce = a['legacy-force'] ?? envFlag(process.env.PBX_SIM_LEGACY_FORCE);
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
  strict,
  tls,
  legacyForce,
  log: (l) => console.log(`[pbx-sim] ${l}`),
});
const token = a.token ?? 'sim-token';
const wsUrl = running.url.replace(/^http/, 'ws');
console.log(`Simulated Basix PBX on ${running.url}${strict ? ' (strict profile: documented surface only)' : ''}${tls ? ' (self-signed certificate)' : ''}
  login page:  ${running.url}/basix/login
  CTI socket:  ${wsUrl}${WS_PATH}?app_name=NAME[&full_events=true][&forced=true]
  API token:   ${wsUrl.replace('://', `://test1:${token}@`)}${WS_PATH}?app_name=NAME[&user_name=user1]
  ticket:      POST ${running.url}/basix/api/gen_ws_ticket (Basic test1:${token}) {"uri": "${WS_PATH}?app_name=NAME"}
  accounts:    ${DEMO_ACCOUNTS.map((x) => `${x.username}/${x.password} (${x.role})`).join('\n               ')}
  ${a.control ? 'control:     /__sim/scenario /__sim/reset /__sim/restart /__sim/logout /__sim/state' : ''}`);

const stop = (): void => {
  void running.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
