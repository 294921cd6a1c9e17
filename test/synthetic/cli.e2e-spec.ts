import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { LocalChain, devnetSeed } from '../../src/devnet/chain/local-chain';
import { startSimulatedHorde, type SimulatedHorde } from '../../src/devnet/miners';
import { HashcatRunner } from '../../src/devnet/executors/hashcat.runner';
import { writeBtcliWallet } from '../../src/chain/wallet/btcli-wallet';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../support/postgres';
import { ChainService } from '../../src/chain/chain.service';
import { HealthService } from '../../src/observability/health.service';
import { ChainSyntheticChainReader } from '../../src/synthetic-jobs/calendar/synthetic-chain-reader-over-chain-service';
import { orderValidatorHotkeys } from '../../src/synthetic-jobs/calendar/batch-slot';
import { testConfig } from '../support/app';
import { runCli, type Ran } from '../support/processes';
import type { DataSource } from 'typeorm';

jest.setTimeout(240_000);

function cli(args: string[], env: Record<string, string>): Promise<Ran> {
  return runCli(args, { LOG_LEVEL: 'error', ...env }, { timeoutMs: 180_000, offlineDynamicConfig: false });
}

/** validator-cli debug-run-synthetic-jobs against the local chain and a simulated horde (DEBUG_MINER_*). */
describe('validator-cli debug-run-synthetic-jobs', () => {
  let chain: LocalChain;
  let horde: SimulatedHorde;
  let db: ThrowawayDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    await cryptoWaitReady();
    const basePort = 21000 + Math.floor(Math.random() * 2000);
    [chain, db, horde] = await Promise.all([
      LocalChain.start({ miners: 0 }),
      createThrowawayDatabase(),
      startSimulatedHorde({
        basePort,
        // "local" miners skip the miner-hotkey check: DEBUG_MINER_COUNT derives made-up hotkeys for k > 0.
        defaults: { isLocalMiner: true, runners: [new HashcatRunner()], host: '127.0.0.1' },
        miners: [
          { executors: [{ executorClass: 'always_on.gpu-24gb' as const, behaviour: { kind: 'honest' } }] },
          { executors: [{ executorClass: 'always_on.gpu-24gb' as const, behaviour: { kind: 'wrong-answer' } }] },
          { executors: [{ executorClass: 'always_on.gpu-24gb' as const, behaviour: { kind: 'silent', after: 'initial-request' } }] },
        ],
      }),
    ]);
    const walletDir = mkdtempSync(join(tmpdir(), 'chv-wallet-'));
    await writeBtcliWallet({ directory: walletDir, walletName: 'validator', hotkeyName: 'default', secret: devnetSeed('synthetic-cli-validator') });
    env = {
      DATABASE_URL: db.url,
      BITTENSOR_NETWORK: 'local',
      BT_SUBTENSOR_CHAIN_ENDPOINT: chain.wsUrl,
      BITTENSOR_NETUID: String(chain.netuid),
      BITTENSOR_WALLET_DIRECTORY: walletDir,
      BITTENSOR_WALLET_NAME: 'validator',
      BITTENSOR_WALLET_HOTKEY_NAME: 'default',
      DEBUG_MINER_KEY: horde.miners[0].hotkey,
      DEBUG_MINER_ADDRESS: '127.0.0.1',
      DEBUG_MINER_PORT: String(basePort),
      DEBUG_MINER_COUNT: '3',
      DEBUG_SYNTHETIC_HASHCAT_DIFFICULTY: 'devnet',
    };
  });

  afterAll(async () => {
    await horde?.stop();
    await chain?.stop();
    await db?.drop();
  });

  it('runs a batch at the current block, shows progress, prints the table and exits 0', async () => {
    const { code, stdout, stderr } = await cli(['debug-run-synthetic-jobs'], env);
    expect(stderr).toContain('running batch');
    expect(stderr).toContain('manifests: 3/3');
    expect(code).toBe(0);
    expect(stdout).toMatch(/3 miner\(s\), 3 job\(s\)/);
    const line = (hotkey: string) => stdout.split('\n').find((l) => l.includes(hotkey)) ?? '';
    expect(line(horde.miners[0].hotkey)).toMatch(/always_on\.gpu-24gb\s*│\s*1\s*│\s*1\s*│\s*0\s*│\s*0/);
    expect(line(`5u001u${horde.miners[0].hotkey.slice(6)}`)).toContain('WRONG_ANSWER');
    expect(line(`5u002u${horde.miners[0].hotkey.slice(6)}`)).toContain('NO_EXECUTOR_RESPONSE');
  });

  it('the chain reader finds this subnet\'s validator set on a real subtensor runtime (StakeThreshold, MaxAllowedValidators)', async () => {
    const chainService = new ChainService(testConfig(env), new HealthService({} as DataSource));
    try {
      const reader = new ChainSyntheticChainReader(chainService);
      const head = await reader.currentBlock();
      expect(await reader.blockHash(head)).toMatch(/^0x[0-9a-f]{64}$/);
      const v = await reader.validatorCandidates(head);
      expect(v.maxValidators).toBeGreaterThan(0);
      expect(v.neurons.map((n) => n.hotkey)).toContain(chain.validator.address);
      expect(orderValidatorHotkeys(v.neurons, v.stakeThreshold, v.maxValidators, v.bac)).toContain(chain.validator.address);
    } finally {
      await chainService.onApplicationShutdown();
    }
  });
});
