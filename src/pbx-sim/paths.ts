/** URL path prefixes that belong to the PBX: proxied to `BASIX_PBX_URL`, or served by the simulator. */
export const PBX_PATHS = ['/basix', '/static/icons'] as const;
