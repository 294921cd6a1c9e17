import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../config/clock';
import { ValidatorHotkey } from '../../chain/validator-hotkey';
import { askMiner } from '../../miners/connection';
import { V0MainHotkeyMessage } from '../../protocol';
import type { MinerConnectionFailure } from '../../miners/connection';
import type { MinerAddress } from './scoring-inputs.repository';

/** The answer of one miner: its main hotkey, null (GenericError, nothing, timeout), or why asking failed. */
export type MainHotkeyAnswer = string | null | Error;

/** Asks miners for their coldkey's main hotkey (chain-scoring-weights.md §4.3 protocol) [WIRE]. */
export abstract class MainHotkeyQuerier {
  /** hotkey -> answer, for every given miner (asked concurrently). */
  abstract query(miners: readonly MinerAddress[]): Promise<Map<string, MainHotkeyAnswer>>;
}

const ANSWER_TIMEOUT_MS = 10_000;

/**
 * Reference flow on a fresh connection: ValidatorAuthForMiner, then V0MainHotkeyMessage(null),
 * then read for up to 10 s; V0MainHotkeyMessage gives the answer, GenericError or an unparseable
 * frame gives null; the manifest and other messages are ignored. Up to 2 connection retries.
 */
@Injectable()
export class MinerMainHotkeyQuerier extends MainHotkeyQuerier {
  private readonly logger = new Logger('MainHotkeyQuerier');

  constructor(
    private readonly hotkey: ValidatorHotkey,
    private readonly clock: Clock,
  ) {
    super();
  }

  async query(miners: readonly MinerAddress[]): Promise<Map<string, MainHotkeyAnswer>> {
    const answers = await Promise.all(miners.map((m) => this.ask(m)));
    return new Map(miners.map((m, i) => [m.hotkey, answers[i]]));
  }

  private async ask(miner: MinerAddress): Promise<MainHotkeyAnswer> {
    if (!miner.port || miner.address === '0.0.0.0') return new Error('miner has no axon');
    try {
      return await askMiner(
        miner,
        { validatorHotkey: this.hotkey, clock: this.clock, timeoutMs: ANSWER_TIMEOUT_MS },
        async (connection): Promise<MainHotkeyAnswer> => {
          const request = Object.assign(new V0MainHotkeyMessage(), { main_hotkey: null });
          const sent = await connection.send(request, { timeoutMs: ANSWER_TIMEOUT_MS });
          if (!sent.ok) return asAnswer(sent.failure);
          const answer = await connection.waitFor(['V0MainHotkeyMessage', 'GenericError'], {
            timeoutMs: ANSWER_TIMEOUT_MS,
            interrupt: ['miner-error', 'unparseable'],
          });
          if (!answer.ok) return asAnswer(answer.failure);
          return answer.message.message_type === 'V0MainHotkeyMessage' ? (answer.message.main_hotkey ?? null) : null;
        },
        asAnswer,
      );
    } catch (e) {
      this.logger.warn({ miner: miner.hotkey, err: e instanceof Error ? e.message : String(e) }, 'main hotkey query failed');
      return e instanceof Error ? e : new Error(String(e));
    }
  }
}

/** GenericError from the miner (e.g. it does not know this validator) or an unparseable frame reads as null. */
function asAnswer(failure: MinerConnectionFailure): MainHotkeyAnswer {
  return failure.kind === 'miner-error' || failure.kind === 'unparseable' ? null : new Error(failure.reason);
}
