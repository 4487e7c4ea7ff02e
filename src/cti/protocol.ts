// Constants of the ws_cti protocol itself (../shared/PROTOCOL.md "Connection").

/**
 * The path a Basix PBX serves its CTI WebSocket at:
 * `wss://HOST/basix/api/ws_cti?app_name=NAME[&full_events=true][&forced=true]` (PROTOCOL.md
 * Corrections: `forced` is the API reference's take-over flag; the vendor README says `force`).
 */
export const WS_CTI_PATH = '/basix/api/ws_cti';
