/** Runs the simulated horde of bench/organic.ts on its own thread (own event loop, another core). */
import './fast-sr25519-for-peers';
import { parentPort, workerData } from 'node:worker_threads';
import { startSimulatedHorde } from '../../src/devnet/miners';

void (async () => {
  const { miners, executors } = workerData as { miners: number; executors: number };
  const horde = await startSimulatedHorde({ miners: Array.from({ length: miners }, () => ({ executors })), defaults: { executorClass: 'always_on.test' } });
  parentPort?.postMessage({ miners: horde.miners.map((m) => ({ hotkey: m.hotkey, host: m.host, port: m.port })) });
  parentPort?.on('message', async (msg: string) => {
    if (msg === 'stop') {
      await horde.stop();
      parentPort?.postMessage('stopped');
    }
  });
})();
