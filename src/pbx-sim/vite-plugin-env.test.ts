import { describe, expect, it } from 'vitest';
import { simOptionsFromEnv } from './vite-plugin.ts';

describe('simulator options from PBX_SIM_* (npm start)', () => {
  it('reads the strict profile, the legacy force flag and the connection limit', () => {
    expect(simOptionsFromEnv({ PBX_SIM_STRICT: '1', PBX_SIM_LEGACY_FORCE: 'true', PBX_SIM_LIMIT: '5' })).toMatchObject({
      strict: true,
      legacyForce: true,
      connectionLimit: 5,
    });
    expect(simOptionsFromEnv({})).toMatchObject({ strict: false, legacyForce: false, connectionLimit: undefined });
    expect(() => simOptionsFromEnv({ PBX_SIM_LIMIT: 'two' })).toThrow(/number/);
  });
});
