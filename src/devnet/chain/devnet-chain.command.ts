import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommandRunner, Option } from 'nest-commander';
import { renderTable } from '../../common/table';
import { LocalChain } from './local-chain';
import { LocalRuntime, parseLocalRuntime, runtimeFromEnv } from './runtimes';
import { untilStopSignal } from '../../common/stop-signals';

interface DevnetChainOptions {
  port?: number;
  miners?: number;
  blockMs?: number;
  walletDir?: string;
  tempo?: number;
  commitReveal?: boolean;
  runtime?: LocalRuntime;
}

/**
 * Runs the local subtensor chain (subnet, validator, miners) until interrupted, producing a block
 * every --block-ms, and prints the environment that points a validator at it.
 */
@Command({ name: 'devnet-chain', description: 'Run a local subtensor chain with a subnet, a validator and miners (Ctrl-C stops it)' })
export class DevnetChainCommand extends CommandRunner {
  async run(_args: string[], opts: DevnetChainOptions): Promise<void> {
    const walletDir = resolve(opts.walletDir ?? 'data/devnet-wallets');
    mkdirSync(walletDir, { recursive: true });
    const runtime = opts.runtime ?? runtimeFromEnv();
    process.stderr.write(`starting the local subtensor runtime ${runtime} (about 20 s)...\n`);
    const chain = await LocalChain.start({
      runtime,
      port: opts.port ?? 9944,
      miners: opts.miners ?? 3,
      hyperparameters: { ...(opts.tempo ? { tempo: opts.tempo } : {}), commitRevealEnabled: opts.commitReveal ?? false },
    });
    const env = await chain.validatorEnv(walletDir);
    process.stdout.write(
      `${renderTable(
        ['uid', 'role', 'hotkey', 'axon'],
        [
          [0, 'validator', chain.validator.address, '-'],
          ...chain.miners.map((m) => [m.uid, `miner ${m.index}`, m.hotkey.address, m.axon ? `${m.axon.host}:${m.axon.port}` : '-']),
        ],
      )}\n`,
    );
    if (chain.beacon) {
      process.stdout.write(`drand: a local beacon (public key ${Buffer.from(chain.beacon.publicKey).toString('hex').slice(0, 16)}…, period ${chain.beacon.period} s) is the chain's Drand.BeaconConfig; its pulses are stored as blocks are built\n`);
    }
    process.stdout.write(`runtime ${chain.runtime}, netuid ${chain.netuid}, head ${await chain.head()}; point the validator at it with:\n`);
    for (const [k, v] of Object.entries(env)) process.stdout.write(`  export ${k}=${v}\n`);
    const blockMs = opts.blockMs ?? 2000;
    if (blockMs > 0) chain.startBlockProducer(blockMs);
    process.stderr.write(blockMs > 0 ? `building a block every ${blockMs} ms; Ctrl-C stops\n` : 'no automatic blocks; Ctrl-C stops\n');
    await untilStopSignal();
    await chain.stop();
  }

  @Option({ flags: '--port <port>', description: 'RPC port on 127.0.0.1 (default 9944; 0 = any free port)' })
  parsePort(v: string): number {
    return Number(v);
  }

  @Option({ flags: '--miners <count>', description: 'miners to register (default 3, axons 127.0.0.2:8000+i)' })
  parseMiners(v: string): number {
    return Number(v);
  }

  @Option({ flags: '--block-ms <ms>', description: 'build a block every <ms> milliseconds (default 2000; 0 = never)' })
  parseBlockMs(v: string): number {
    return Number(v);
  }

  @Option({ flags: '--tempo <blocks>', description: 'subnet tempo (default 10)' })
  parseTempo(v: string): number {
    return Number(v);
  }

  @Option({ flags: '--runtime <spec>', description: 'subtensor runtime: 293 (drand, timelocked commits; default, or DEVNET_RUNTIME) or 218' })
  parseRuntime(v: string): LocalRuntime {
    return parseLocalRuntime(v, '--runtime');
  }

  @Option({ flags: '--commit-reveal', description: 'enable commit-reveal on the subnet (hash commits; on 293 also drand-timelocked ones)' })
  parseCommitReveal(): boolean {
    return true;
  }

  @Option({ flags: '--wallet-dir <dir>', description: 'where the validator wallet is written (default data/devnet-wallets)' })
  parseWalletDir(v: string): string {
    return v;
  }
}
