import { createHash } from 'node:crypto';
import { hexToU8a } from '@polkadot/util';

/** What timelock encryption needs to know of a drand beacon. */
export interface DrandBeaconParams {
  /** G2 public key, 96 bytes compressed. */
  publicKey: Uint8Array;
  /** Unix seconds of round 1's predecessor (round r is published at genesisTime + r × period). */
  genesisTime: number;
  /** Seconds between rounds. */
  period: number;
}

/** drand quicknet (the beacon subtensor's drand pallet follows; CSW §5.6). */
export const QUICKNET: DrandBeaconParams & { chainHash: string } = {
  publicKey: hexToU8a(
    '0x83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a',
  ),
  genesisTime: 1692803367,
  period: 3,
  chainHash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971',
};

/** The identity a round's signature decrypts: SHA-256 of the round as a u64 big-endian. */
export function roundIdentity(round: number): Uint8Array {
  checkRound(round);
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(round));
  return createHash('sha256').update(b).digest();
}

/** The newest round published at `unixSeconds` (0 before the first). */
export function roundAt(unixSeconds: number, beacon: Pick<DrandBeaconParams, 'genesisTime' | 'period'>): number {
  return Math.max(0, Math.floor((unixSeconds - beacon.genesisTime) / beacon.period));
}

export function checkRound(round: number): void {
  if (!Number.isSafeInteger(round) || round < 1) throw new Error(`not a drand round: ${round}`);
}

export function checkBeacon(b: DrandBeaconParams, source: string): void {
  if (b.publicKey.length !== 96) throw new Error(`${source}: the beacon public key must be a 96-byte G2 point, got ${b.publicKey.length} bytes`);
  if (!Number.isSafeInteger(b.period) || b.period < 1) throw new Error(`${source}: the beacon period must be a positive number of seconds, got ${b.period}`);
  if (!Number.isSafeInteger(b.genesisTime) || b.genesisTime < 0) throw new Error(`${source}: bad beacon genesis time ${b.genesisTime}`);
}
