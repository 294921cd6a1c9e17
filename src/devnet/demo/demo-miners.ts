import { Keyring } from '@polkadot/keyring';
import type { ExecutorBehaviour } from '../miners/behaviour';
import type { SimulatedMinerSpec } from '../miners/horde';
import { EchoHashRunner } from '../miners/echo-hash.runner';
import { HashcatRunner } from '../executors/hashcat.runner';
import { devnetSeed } from '../chain/local-chain';

export interface DemoBehaviour {
  label: string;
  behaviour: ExecutorBehaviour;
  /** Whether a correct validator should rank this miner among the best. */
  honest: boolean;
}

/** The repeating mix of the demo horde: mostly honest, one of each kind of failure. */
export const DEMO_BEHAVIOURS: DemoBehaviour[] = [
  { label: 'honest', behaviour: { kind: 'honest' }, honest: true },
  { label: 'wrong answer', behaviour: { kind: 'wrong-answer' }, honest: false },
  { label: 'honest', behaviour: { kind: 'honest' }, honest: true },
  { label: 'silent', behaviour: { kind: 'silent', after: 'job-request' }, honest: false },
  { label: 'slow but in time', behaviour: { kind: 'slow', delaysMs: { accept: 300, executorReady: 300, finished: 500 } }, honest: true },
  { label: 'disconnects', behaviour: { kind: 'disconnect', after: 'job-request' }, honest: false },
  { label: 'garbage frames', behaviour: { kind: 'garbage', after: 'job-request', count: 3 }, honest: false },
  { label: 'declines (no excuse)', behaviour: { kind: 'decline', excuse: 'none' }, honest: false },
];

export interface DemoMinerPlan {
  index: number;
  label: string;
  honest: boolean;
  spec: SimulatedMinerSpec;
}

/** Miner i of the demo: its chain hotkey (same seed as the local chain's miner i) and behaviour. */
export function planDemoMiners(count: number, executorsPerMiner: number, host: string): DemoMinerPlan[] {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  return Array.from({ length: count }, (_, index) => {
    const mix = DEMO_BEHAVIOURS[index % DEMO_BEHAVIOURS.length];
    return {
      index,
      label: mix.label,
      honest: mix.honest,
      spec: {
        hotkey: keyring.addFromSeed(devnetSeed(`miner-${index}`)),
        host,
        executors: executorsPerMiner,
        behaviour: mix.behaviour,
        runners: [new HashcatRunner(), new EchoHashRunner()],
      },
    };
  });
}
