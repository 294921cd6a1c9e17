import { createHash } from 'node:crypto';
import { bls12_381 as bls } from '@noble/curves/bls12-381';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { u8aToHex } from '@polkadot/util';
import { roundAt, roundIdentity } from '../../chain/weights/timelock/drand';

/** drand's domain separation tag for BLS signatures on G1 (quicknet, "bls-unchained-g1-rfc9380"). */
const DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';

export interface DrandPulse {
  round: number;
  randomness: string;
  signature: string;
}

/**
 * A drand-compatible beacon of our own for the devnet: a BLS12-381 key (fixed seed, so every run has
 * the same public key) that signs rounds like drand quicknet (short signatures over sha256(round),
 * RFC 9380 hash to G1). Timelock ciphertexts made for its public key decrypt with its signatures
 * exactly as with quicknet's. Round r is published at genesisTime + r × period.
 */
export class LocalDrandBeacon {
  readonly publicKey: Uint8Array;
  private readonly secretKey: Uint8Array;

  constructor(
    readonly genesisTime: number,
    readonly period = 3,
    seed: Uint8Array = blake2AsU8a('compute-horde-devnet:drand-beacon', 256),
  ) {
    // a scalar below the group order r, as the key
    const r = bls.fields.Fr.ORDER;
    const scalar = (BigInt(u8aToHex(seed)) % (r - 1n)) + 1n;
    this.secretKey = Uint8Array.from(Buffer.from(scalar.toString(16).padStart(64, '0'), 'hex'));
    this.publicKey = bls.shortSignatures.getPublicKey(this.secretKey).toBytes(true);
  }

  /** The newest round published at `unixSeconds`. */
  roundAt(unixSeconds: number): number {
    return roundAt(unixSeconds, this);
  }

  pulse(round: number): DrandPulse {
    const s = bls.shortSignatures;
    const signature = s.Signature.toBytes(s.sign(s.hash(roundIdentity(round), DST), this.secretKey));
    return { round, signature: u8aToHex(signature), randomness: u8aToHex(createHash('sha256').update(signature).digest()) };
  }

  /** `Drand.BeaconConfig` as the runtime-293 pallet stores it (dev_setStorage shape). */
  beaconConfig(): Record<string, unknown> {
    return {
      publicKey: u8aToHex(this.publicKey),
      period: this.period,
      genesisTime: this.genesisTime,
      hash: u8aToHex(createHash('sha256').update(this.publicKey).digest()),
      groupHash: u8aToHex(new Uint8Array(32)),
      schemeId: u8aToHex(Buffer.from('bls-unchained-g1-rfc9380')),
      metadata: { beaconId: u8aToHex(Buffer.from('chv-devnet')) },
    };
  }
}

/** What the devnet's drand feed needs of the local chain. */
export interface DrandFeedChain {
  send(method: string, params: unknown[]): Promise<unknown>;
  headTimestampMs(): Promise<number>;
  lastStoredRound(): Promise<number>;
  setStorage(values: Record<string, unknown>): Promise<void>;
}

/** Most pulses written after one block (a long fast-forward does not backfill every round). */
const MAX_PULSES_PER_BLOCK = 64;

/**
 * The devnet's stand-in for the drand pallet's offchain worker: our beacon is the chain's
 * `Drand.BeaconConfig`, and after every block the pulses of the rounds published by that block's
 * timestamp are stored (visible to the next block; a real chain stores them a block or two late).
 * The chain's clock is kept at or ahead of the wall clock, because validators compute reveal rounds
 * from the wall clock; blocks built faster than one per slot (tests fast-forwarding) run it ahead,
 * which only publishes rounds early.
 */
export class DevnetDrandFeed {
  /** Rounds never stored: a timelocked commit to one of them cannot be revealed. */
  readonly withheld = new Set<number>();

  private constructor(
    readonly beacon: LocalDrandBeacon,
    private readonly chain: DrandFeedChain,
    private readonly slotMs: number,
  ) {}

  /** Our beacon becomes the chain's drand beacon; rounds start a minute before the chain's clock. */
  static async install(chain: DrandFeedChain, slotMs: number): Promise<DevnetDrandFeed> {
    const beacon = new LocalDrandBeacon(Math.floor((await chain.headTimestampMs()) / 1000) - 60);
    await chain.setStorage({ Drand: { BeaconConfig: beacon.beaconConfig(), LastStoredRound: 0 } });
    const feed = new DevnetDrandFeed(beacon, chain, slotMs);
    await feed.afterBlock();
    return feed;
  }

  async beforeBlock(): Promise<void> {
    const now = Date.now();
    if (now - this.slotMs > (await this.chain.headTimestampMs())) await this.chain.send('dev_timeTravel', [now - this.slotMs]);
  }

  /** Stores the pulses the chain does not have yet, up to the head's timestamp; returns their rounds. */
  async afterBlock(): Promise<number[]> {
    const [now, last] = await Promise.all([this.chain.headTimestampMs(), this.chain.lastStoredRound()]);
    const newest = this.beacon.roundAt(now / 1000);
    if (newest <= last) return [];
    const rounds: number[] = [];
    for (let r = Math.max(last + 1, newest - MAX_PULSES_PER_BLOCK + 1, 1); r <= newest; r++) if (!this.withheld.has(r)) rounds.push(r);
    await this.chain.setStorage({ Drand: { Pulses: rounds.map((r) => [[r], this.beacon.pulse(r)]), LastStoredRound: newest } });
    return rounds;
  }

  /** Never stores `round`, and removes it if already stored (the chain's clock may run ahead). */
  async withhold(round: number): Promise<void> {
    this.withheld.add(round);
    await this.chain.setStorage({ Drand: { Pulses: [[[round], null]] } });
  }
}
