export { decodeEtf, decodeEtfPlain, type DecodeOptions, type PlainValue } from './etf/decode.ts';
export { encodeEtf, type EncodeOptions } from './etf/encode.ts';
export { EtfDecodeError, EtfEncodeError, type EtfDecodeErrorCode } from './etf/errors.ts';
export * from './etf/term.ts';
