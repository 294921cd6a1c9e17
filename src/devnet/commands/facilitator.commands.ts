import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Command, CommandRunner, Option } from 'nest-commander';
import { SimulatedFacilitator } from '../facilitator/simulated-facilitator';
import { DEVNET_ECHO_HASH_IMAGE } from '../miners';
import { untilStopSignal } from '../../common/stop-signals';

interface Flags {
  port: number;
  validator: string[];
  sdkSeed: string;
  jobs: number;
  intervalMs: number;
  executorClass: string;
}

@Command({ name: 'devnet-facilitator', description: 'run a simulated facilitator: authenticates validators, sends signed jobs, prints the status updates' })
export class DevnetFacilitatorCommand extends CommandRunner {
  async run(_args: string[], f: Flags): Promise<void> {
    await cryptoWaitReady();
    if (!f.validator?.length) {
      process.stderr.write('--validator <ss58> is required (repeatable)\n');
      process.exitCode = 1;
      return;
    }
    const sdk = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(f.sdkSeed ?? '//DevnetSdkUser');
    const facilitator = await new SimulatedFacilitator({ validators: f.validator, sdkSigner: sdk, port: f.port ?? 0 }).start();
    process.stdout.write(`simulated facilitator on ${facilitator.url}\nSDK signer ${sdk.address} (add it to the validator whitelist)\n`);
    facilitator.on('authenticated', (hk: string) => process.stdout.write(`validator ${hk} authenticated\n`));
    facilitator.on('status', (s: { uuid: string; status: string }) => process.stdout.write(`job ${s.uuid}: ${s.status}\n`));
    const stop = untilStopSignal();
    if ((f.jobs ?? 0) > 0) {
      void (async () => {
        for (const v of f.validator) await facilitator.waitForConnection(v, 600_000).catch(() => undefined);
        for (let i = 0; i < f.jobs; i++) {
          for (const v of f.validator) {
            try {
              const uuid = facilitator.submitJob(v, { executorClass: (f.executorClass ?? 'always_on.test') as 'always_on.test', dockerImage: DEVNET_ECHO_HASH_IMAGE, args: [`job-${i}`] });
              process.stdout.write(`job ${uuid}: sent to ${v}\n`);
            } catch (e) {
              process.stdout.write(`could not send a job to ${v}: ${(e as Error).message}\n`);
            }
          }
          await new Promise((r) => setTimeout(r, f.intervalMs ?? 1000));
        }
      })();
    }
    await stop;
    await facilitator.close();
  }

  @Option({ flags: '--port <port>', description: 'port to listen on (127.0.0.1), default a free one' })
  parsePort(v: string): number { return Number(v); }

  @Option({ flags: '--validator <ss58>', description: 'hotkey accepted as an active validator (repeatable)' })
  parseValidator(v: string, prev: string[] = []): string[] { return [...prev, v]; }

  @Option({ flags: '--sdk-seed <uri>', description: 'secret URI of the SDK user that signs the jobs', defaultValue: '//DevnetSdkUser' })
  parseSdkSeed(v: string): string { return v; }

  @Option({ flags: '--jobs <n>', description: 'send this many jobs to each validator once it is connected', defaultValue: 0 })
  parseJobs(v: string): number { return Number(v); }

  @Option({ flags: '--interval-ms <ms>', description: 'pause between jobs', defaultValue: 1000 })
  parseInterval(v: string): number { return Number(v); }

  @Option({ flags: '--executor-class <class>', description: 'executor class of the jobs', defaultValue: 'always_on.test' })
  parseClass(v: string): string { return v; }
}

