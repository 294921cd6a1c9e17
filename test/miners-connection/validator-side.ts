import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { StaticValidatorHotkey } from '../../src/chain/validator-hotkey';
import { SystemClock, type Clock } from '../../src/config/clock';
import { MinerConnection, type MinerConnectionOptions } from '../../src/miners/connection';
import {
  buildMessage, canonicalDatetimeFromMs, jobAcceptedPayload, jobFinishedPayload, jobStartedPayload, signReceiptPayload,
  InlineVolume, V0InitialJobRequest, V0JobAcceptedReceiptRequest, V0JobFinishedReceiptRequest, V0JobRequest, type ExecutorClass, type Volume,
} from '../../src/protocol';
import { writeZip } from '../../src/devnet/miners';

/** The validator side of one job, written out step by step with the connection's public API. */

export const alice = (): KeyringPair => new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');

export function connectionTo(miner: { hotkey: string; host: string; port: number }, overrides: Partial<MinerConnectionOptions> = {}): MinerConnection {
  return new MinerConnection({
    minerHotkey: miner.hotkey,
    address: miner.host,
    port: miner.port,
    validatorHotkey: new StaticValidatorHotkey(alice()),
    clock: new SystemClock(),
    maxRetries: 2,
    retryBaseDelayMs: 5,
    retryJitterMs: 5,
    ...overrides,
  });
}

export function inlineVolume(files: Record<string, string>): Volume {
  const zip = writeZip(Object.entries(files).map(([k, v]) => [k, Buffer.from(v)]), { deflate: true });
  return Object.assign(new InlineVolume(), { contents: zip.toString('base64'), relative_path: null });
}

export function initialRequest(pair: KeyringPair, minerHotkey: string, jobUuid: string, executorClass: ExecutorClass, clock: Clock = new SystemClock(), volume: Volume | null = null) {
  const signed = signReceiptPayload(pair, jobStartedPayload({
    job_uuid: jobUuid, miner_hotkey: minerHotkey, validator_hotkey: pair.address, timestamp: canonicalDatetimeFromMs(clock.now()),
    executor_class: executorClass, is_organic: true, ttl: 7,
  }));
  return {
    signed,
    message: buildMessage(V0InitialJobRequest, {
      job_uuid: jobUuid, executor_class: executorClass, docker_image: 'computehorde-devnet/echo-hash', timeout_seconds: 60, volume,
      job_started_receipt_payload: signed.payload, job_started_receipt_signature: signed.signature, streaming_details: null, executor_timing: null,
    }),
  };
}

export function acceptedReceipt(pair: KeyringPair, minerHotkey: string, jobUuid: string) {
  const now = canonicalDatetimeFromMs(Date.now());
  const signed = signReceiptPayload(pair, jobAcceptedPayload({ job_uuid: jobUuid, miner_hotkey: minerHotkey, validator_hotkey: pair.address, timestamp: now, time_accepted: now, ttl: 300 }));
  return { signed, message: buildMessage(V0JobAcceptedReceiptRequest, { payload: signed.payload, signature: signed.signature }) };
}

export function finishedReceipt(pair: KeyringPair, minerHotkey: string, jobUuid: string, startedMs: number) {
  const signed = signReceiptPayload(pair, jobFinishedPayload({
    job_uuid: jobUuid, miner_hotkey: minerHotkey, validator_hotkey: pair.address, timestamp: canonicalDatetimeFromMs(Date.now()),
    time_started: canonicalDatetimeFromMs(startedMs), time_took_us: Math.floor((Date.now() - startedMs) * 1000), score_str: '1.000000', block_numbers: [],
  }));
  return { signed, message: buildMessage(V0JobFinishedReceiptRequest, { payload: signed.payload, signature: signed.signature }) };
}

export function jobRequest(jobUuid: string, executorClass: ExecutorClass, args: string[], volume: Volume | null = null, image = 'computehorde-devnet/echo-hash') {
  return buildMessage(V0JobRequest, {
    job_uuid: jobUuid, executor_class: executorClass, docker_image: image, raw_script: null, docker_run_options_preset: 'none',
    docker_run_cmd: args, env: {}, volume, output_upload: null, artifacts_dir: '/artifacts',
  });
}
