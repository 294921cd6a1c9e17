import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { StaticValidatorHotkey } from '../chain/validator-hotkey';
import type { DynamicConfigService } from '../config/dynamic/dynamic-config.service';
import { SimulatedFacilitator } from '../devnet/facilitator/simulated-facilitator';
import type { JobStatusUpdate } from '../protocol/facilitator';
import type { DriveInput, DriveResult, MinerDriverService } from './driver/miner-driver.service';
import { OrganicJobPipeline } from './organic-job-pipeline.service';
import type { BlacklistService } from './trust/blacklist.service';
import type { WhitelistService } from './trust/whitelist.service';
import type { RoutingService } from './routing/routing.service';

/**
 * The pipeline around a (fake) driver and routing: the end status must find the executor already
 * released, because the facilitator may route the next job to the same miner as soon as it hears it,
 * while the driver is still closing the miner connection.
 */
describe('organic job pipeline', () => {
  beforeAll(() => cryptoWaitReady());

  it('releases the routing claim before it sends the end status', async () => {
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const validator = keyring.addFromUri('//PipelineValidator');
    const sdk = keyring.addFromUri('//PipelineSdk');
    const req = new SimulatedFacilitator({ validators: [validator.address], sdkSigner: sdk }).buildJob({ executorClass: 'always_on.test' });
    const released: string[] = [];
    const routing = {
      pick: async () => ({ kind: 'normal', miner: { hotkey: '5Miner', address: '127.0.0.1', port: 1, ipVersion: 4 }, allowanceBlocks: [], allowanceReservationId: null, allowanceJobValue: 1 }),
      release: (uuid: string) => void released.push(uuid),
      invalidate: () => undefined,
    } as unknown as RoutingService;
    let driverDone = false;
    const driver = {
      drive: async (input: DriveInput): Promise<DriveResult> => {
        await input.onStatus({ uuid: req.uuid, status: 'completed', metadata: { miner_response: { docker_process_stdout: '', docker_process_stderr: '', artifacts: {}, upload_results: {} } } });
        // closing the miner connection, storing receipts...
        await new Promise((r) => setTimeout(r, 20));
        driverDone = true;
        return { status: 'COMPLETED', comment: '', outcomeReason: 'completed', onTrustedMiner: false, minerHotkey: '5Miner', minerAtFault: false };
      },
    } as unknown as MinerDriverService;
    const pipeline = new OrganicJobPipeline(
      new StaticValidatorHotkey(validator),
      { get: async () => 0 } as unknown as DynamicConfigService,
      { contains: async () => true } as unknown as WhitelistService,
      routing, driver,
      {} as BlacklistService,
    );
    const seen: { status: string; releasedBefore: boolean; driverDone: boolean }[] = [];
    await pipeline.handle(req, async (u: JobStatusUpdate) => void seen.push({ status: u.status, releasedBefore: released.includes(req.uuid), driverDone }));
    expect(seen).toEqual([
      { status: 'received', releasedBefore: false, driverDone: false },
      { status: 'completed', releasedBefore: true, driverDone: false },
    ]);
  });
});
