import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Command, CommandRunner, Option } from 'nest-commander';
import { renderTable } from '../../common/table';
import { DEFAULT_EXECUTOR_CLASS, isExecutorClass, type ExecutorClass } from '../../protocol';
import { devnetSeed } from '../chain/local-chain';
import type { ExecutorBehaviour } from './behaviour';
import { EchoHashRunner } from './echo-hash.runner';
import { startSimulatedHorde } from './horde';
import type { SimulatedJobRunner } from './job-runner';
import { HashcatRunner } from '../executors/hashcat.runner';
import { llmRunners } from '../executors/llm-runners';
import { untilStopSignal } from '../../common/stop-signals';

interface DevnetMinersOptions {
  count?: number;
  executors?: number;
  port?: number;
  host?: string;
  executorClass?: ExecutorClass;
  behaviour?: ExecutorBehaviour;
  spinUpMs?: number;
}

const BEHAVIOURS: Record<string, ExecutorBehaviour> = {
  honest: { kind: 'honest' },
  slow: { kind: 'slow', delaysMs: { accept: 2000, executorReady: 2000, volumesReady: 2000, executionDone: 2000, finished: 2000 } },
  'wrong-answer': { kind: 'wrong-answer' },
  'decline-valid': { kind: 'decline', excuse: 'valid' },
  'decline-forged': { kind: 'decline', excuse: 'forged' },
  'decline-no-excuse': { kind: 'decline', excuse: 'none' },
  disconnect: { kind: 'disconnect', after: 'job-request' },
  garbage: { kind: 'garbage', after: 'job-request', count: 5 },
  silent: { kind: 'silent', after: 'initial-request' },
  'streaming-wrong-hash': { kind: 'streaming-lie', lie: 'wrong-hash' },
  'streaming-not-ready': { kind: 'streaming-lie', lie: 'not-ready' },
  'streaming-never-ready': { kind: 'streaming-lie', lie: 'never-ready' },
  'streaming-bad-signature': { kind: 'streaming-lie', lie: 'bad-signature' },
  'streaming-wrong-certificate': { kind: 'streaming-lie', lie: 'wrong-certificate' },
};

/** Every devnet runner: synthetic hashcat, LLM prompt generation/solving, echo-hash. */
function devnetRunners(): SimulatedJobRunner[] {
  return [new HashcatRunner(), ...llmRunners(), new EchoHashRunner()];
}

/**
 * Simulated miners speaking the real protocol, in the foreground until Ctrl-C. By default their hotkeys
 * and addresses are the ones `devnet-chain` registers (miner i: seed "miner-i", 127.0.0.2:8000+i).
 */
@Command({ name: 'devnet-miners', description: 'Run simulated miners that speak the real miner protocol (Ctrl-C stops them)' })
export class DevnetMinersCommand extends CommandRunner {
  async run(_args: string[], opts: DevnetMinersOptions): Promise<void> {
    await cryptoWaitReady();
    const count = opts.count ?? 3;
    const basePort = opts.port ?? 8000;
    const host = opts.host ?? '127.0.0.2';
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const runners = devnetRunners();
    let horde;
    try {
      horde = await startSimulatedHorde({
        miners: Array.from({ length: count }, (_, i) => ({
          hotkey: keyring.addFromSeed(devnetSeed(`miner-${i}`)),
          host,
          port: basePort + i,
          executors: opts.executors ?? 1,
          executorClass: opts.executorClass ?? DEFAULT_EXECUTOR_CLASS,
          behaviour: opts.behaviour,
          spinUpMs: opts.spinUpMs,
          runners,
        })),
      });
    } catch (e) {
      process.stderr.write(`could not start the simulated miners: ${(e as Error).message}\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(
      `${renderTable(
        ['miner', 'hotkey', 'address', 'executors'],
        horde.miners.map((m, i) => [i, m.hotkey, `${m.host}:${m.port}`, Object.entries(m.manifest).map(([c, n]) => `${c}=${n}`).join(' ')]),
      )}\n`,
    );
    process.stderr.write(`runners: ${runners.map((r) => r.name).join(', ')}; Ctrl-C stops\n`);
    await untilStopSignal();
    await horde.stop();
  }

  @Option({ flags: '--count <n>', description: 'number of miners (default 3)' })
  parseCount(v: string): number {
    return positiveInt(v, '--count');
  }

  @Option({ flags: '--executors <m>', description: 'executors per miner (default 1)' })
  parseExecutors(v: string): number {
    return positiveInt(v, '--executors');
  }

  @Option({ flags: '--port <p>', description: 'port of miner 0; miner i listens on p+i (default 8000, as devnet-chain registers)' })
  parsePort(v: string): number {
    return positiveInt(v, '--port');
  }

  @Option({ flags: '--host <ip>', description: 'listen address (default 127.0.0.2, the axon devnet-chain registers)' })
  parseHost(v: string): string {
    return v;
  }

  @Option({ flags: '--executor-class <class>', description: `executor class of every executor (default ${DEFAULT_EXECUTOR_CLASS})` })
  parseExecutorClass(v: string): ExecutorClass {
    if (!isExecutorClass(v)) throw new Error(`unknown executor class ${v}`);
    return v;
  }

  @Option({ flags: '--behaviour <kind>', description: `behaviour of every executor: ${Object.keys(BEHAVIOURS).join(', ')} (default honest)` })
  parseBehaviour(v: string): ExecutorBehaviour {
    const b = BEHAVIOURS[v];
    if (!b) throw new Error(`unknown behaviour ${v}; one of ${Object.keys(BEHAVIOURS).join(', ')}`);
    return b;
  }

  @Option({ flags: '--spin-up-ms <ms>', description: 'executor start-up time after accept (default 0)' })
  parseSpinUp(v: string): number {
    return positiveInt(v, '--spin-up-ms', true);
  }
}

function positiveInt(v: string, flag: string, allowZero = false): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new Error(`${flag} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${v}`);
  return n;
}
