import { isPlainObject, parseModel, type ModelClass } from './model';
import { FAST_MINER_MESSAGE_SHAPES, fastParseStringModel } from './parse-fast-path';
import { MINER_TO_VALIDATOR_CLASSES, type MinerToValidatorMessage } from './messages/miner-to-validator';
import { VALIDATOR_TO_MINER_CLASSES, type ValidatorToMinerMessage } from './messages/validator-to-miner';

/**
 * Frame parsing (miner-protocol.md §5.1): one text frame = one JSON object tagged by message_type.
 * Never throws: every outcome is a value.
 */

export type ParseResult<M> = { ok: true; message: M } | { ok: false; reason: string };

export type RawFrame = string | Buffer | ArrayBuffer | Buffer[] | Uint8Array;

/** Legacy text keepalive frame the reference client skips silently. */
export const LEGACY_PING_FRAME = 'PING';

export interface ParseFrameOptions {
  /** Whether the frame arrived as a binary WebSocket frame (the reference treats it as invalid). */
  isBinary?: boolean;
}

/** Miner -> validator frame. */
export function parseMinerMessage(frame: RawFrame | unknown, options: ParseFrameOptions = {}): ParseResult<MinerToValidatorMessage> {
  return parseTagged(frame, options, MINER_TO_VALIDATOR_CLASSES, preprocessMinerMessage, FAST_MINER_MESSAGE_SHAPES) as ParseResult<MinerToValidatorMessage>;
}

/** The same without the fast path (tests compare the two). */
export function parseMinerMessageSlowly(frame: RawFrame | unknown, options: ParseFrameOptions = {}): ParseResult<MinerToValidatorMessage> {
  return parseTagged(frame, options, MINER_TO_VALIDATOR_CLASSES, preprocessMinerMessage) as ParseResult<MinerToValidatorMessage>;
}

/** Validator -> miner frame (the simulated miner's side). */
export function parseValidatorMessage(frame: RawFrame | unknown, options: ParseFrameOptions = {}): ParseResult<ValidatorToMinerMessage> {
  return parseTagged(frame, options, VALIDATOR_TO_MINER_CLASSES) as ParseResult<ValidatorToMinerMessage>;
}

/** Text of a frame, or a reason why there is none. */
export function frameText(frame: unknown, options: ParseFrameOptions = {}): { ok: true; text: string } | { ok: false; reason: string } {
  if (options.isBinary) return { ok: false, reason: 'binary frame (only text frames carry messages)' };
  if (typeof frame === 'string') return { ok: true, text: frame };
  try {
    let bytes: Uint8Array;
    if (Buffer.isBuffer(frame)) bytes = frame;
    else if (frame instanceof ArrayBuffer) bytes = new Uint8Array(frame);
    else if (frame instanceof Uint8Array) bytes = frame;
    else if (Array.isArray(frame) && frame.every((b) => Buffer.isBuffer(b))) bytes = Buffer.concat(frame as Buffer[]);
    else return { ok: false, reason: `unsupported frame of type ${typeof frame}` };
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, reason: 'frame is not valid UTF-8' };
  }
}

function parseTagged(
  frame: unknown,
  options: ParseFrameOptions,
  classes: Record<string, ModelClass<object>>,
  preprocess?: (type: string, obj: Record<string, unknown>) => Record<string, unknown>,
  fastShapes?: typeof FAST_MINER_MESSAGE_SHAPES,
): ParseResult<object> {
  const text = frameText(frame, options);
  if (!text.ok) return { ok: false, reason: text.reason };
  let plain: unknown;
  try {
    plain = JSON.parse(text.text);
  } catch (e) {
    return { ok: false, reason: `invalid JSON: ${(e as Error).message}` };
  }
  if (!isPlainObject(plain)) return { ok: false, reason: 'a message must be a JSON object' };
  const type = plain.message_type;
  if (typeof type !== 'string') return { ok: false, reason: 'missing or non-string message_type' };
  if (!Object.prototype.hasOwnProperty.call(classes, type)) return { ok: false, reason: `unknown message_type ${JSON.stringify(type.slice(0, 100))}` };
  const obj = preprocess ? preprocess(type, plain) : plain;
  const shape = fastShapes && Object.prototype.hasOwnProperty.call(fastShapes, type) ? fastShapes[type] : undefined;
  const fast = shape ? fastParseStringModel(classes[type], shape, obj) : null;
  if (fast) return { ok: true, message: fast };
  const parsed = parseModel(classes[type], obj);
  if (!parsed.ok) return { ok: false, reason: `${type}: ${parsed.reason}` };
  return { ok: true, message: parsed.value };
}

function preprocessMinerMessage(type: string, obj: Record<string, unknown>): Record<string, unknown> {
  if (type !== 'V0JobFailedRequest') return obj;
  // legacy aliases: error_detail -> message, error_type -> reason (the new name wins when both are present)
  const out = { ...obj };
  if (out.message === undefined && out.error_detail !== undefined) out.message = out.error_detail;
  if (out.reason === undefined && out.error_type !== undefined) out.reason = out.error_type;
  return out;
}
