import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ChainService } from './chain.service';
import { ValidatorHotkey } from './validator-hotkey';

export interface ChainView {
  /** BITTENSOR_NETWORK as configured (a URL is shown by host only). */
  network: string;
  netuid: number;
  connected: boolean;
  /** Why the connection is down, when it is. */
  lastError: string | null;
  head: number | null;
  /** When that head was seen (ms since the epoch). */
  headSeenAt: number | null;
  /** The subnet's tempo, refreshed in the background at most every 10 minutes (null until first read). */
  tempo: number | null;
  /** The validator's own hotkey, or why it is not loaded. */
  hotkey: { ss58: string } | { error: string };
}

const TEMPO_REFRESH_MS = 10 * 60_000;

/**
 * In-memory view of the chain connection for the status page and metrics: never waits on the
 * network (the tempo is read in the background and the last value served).
 */
@Injectable()
export class ChainReadModel {
  private readonly logger = new Logger(ChainReadModel.name);
  private tempo: { value: number; at: number } | null = null;
  private refreshing = false;

  constructor(
    private readonly chain: ChainService,
    private readonly config: AppConfig,
    private readonly hotkey: ValidatorHotkey,
  ) {}

  view(): ChainView {
    this.refreshTempo();
    const head = this.chain.lastHead;
    return {
      network: displayNetwork(this.config.chain.BITTENSOR_NETWORK),
      netuid: this.chain.netuid,
      connected: this.chain.connected,
      lastError: this.chain.connection.lastError ?? null,
      head: head?.number ?? null,
      headSeenAt: head?.seenAt ?? null,
      tempo: this.tempo?.value ?? null,
      hotkey: this.ownHotkey(),
    };
  }

  private ownHotkey(): { ss58: string } | { error: string } {
    try {
      return { ss58: this.hotkey.ss58 };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }

  private refreshTempo(): void {
    if (this.refreshing || !this.chain.connected) return;
    if (this.tempo && Date.now() - this.tempo.at < TEMPO_REFRESH_MS) return;
    this.refreshing = true;
    this.chain
      .hyperparameters()
      .then((h) => (this.tempo = { value: h.tempo, at: Date.now() }))
      .catch((e: unknown) => this.logger.debug({ err: e }, 'could not read the tempo'))
      .finally(() => (this.refreshing = false));
  }
}

function displayNetwork(network: string): string {
  if (!/^wss?:\/\//.test(network)) return network;
  try {
    return new URL(network).host;
  } catch {
    return 'custom';
  }
}
