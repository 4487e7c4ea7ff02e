// Constants of the ws_cti protocol itself (../shared/PROTOCOL.md "Connection").

/** The path a Basix PBX serves its CTI WebSocket at: `wss://HOST/basix/api/ws_cti?app_name=NAME[&full_events=true][&force=true]`. */
export const WS_CTI_PATH = '/basix/api/ws_cti';
