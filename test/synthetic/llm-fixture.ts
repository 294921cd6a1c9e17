import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startSimulatedHorde, type ExecutorBehaviour, type SimulatedHorde } from '../../src/devnet/miners';
import { LlmPromptSolverRunner } from '../../src/devnet/executors/llm-prompt-solver.runner';
import { fakeAnswer, fakePrompts, fakePromptsFile } from '../../src/devnet/executors/fake-llm';
import { S3Peer, uniqueBucketName } from '../../src/devnet/s3-peer/ceph-s3-peer';
import type { S3Service } from '../../src/s3/s3.service';
import { migratedPostgres } from '../support/postgres';
import { registerHorde } from './support';

/**
 * What the LLM batch suites share: a real S3 server (Ceph RGW) with fresh prompt and answer buckets,
 * a migrated PostgreSQL database, and one simulated miner per behaviour with one LLM executor that
 * runs the prompt solver's fake model.
 */
export interface LlmBatchFixture {
  peer: S3Peer;
  db: Awaited<ReturnType<typeof migratedPostgres>>;
  horde: SimulatedHorde;
  buckets: { prompts: string; answers: string };
  stop(): Promise<void>;
}

export async function startLlmBatchFixture(behaviours: readonly ExecutorBehaviour[]): Promise<LlmBatchFixture> {
  await cryptoWaitReady();
  const buckets = { prompts: uniqueBucketName('prompts'), answers: uniqueBucketName('answers') };
  const [peer, db] = await Promise.all([S3Peer.acquire(), migratedPostgres()]);
  await peer.createBucket(buckets.prompts);
  await peer.createBucket(buckets.answers);
  const horde = await startSimulatedHorde({
    miners: behaviours.map((behaviour) => ({ executors: [{ executorClass: 'always_on.llm.a6000' as const, behaviour }] })),
    defaults: { runners: [new LlmPromptSolverRunner()] },
  });
  await registerHorde(db.dataSource, horde);
  return {
    peer, db, horde, buckets,
    stop: async () => {
      await horde.stop();
      await db.close();
      await peer.release();
    },
  };
}

/**
 * What the trusted-miner pipeline leaves behind: `count` prompt series in S3 and one finished
 * workload (`seed`) that sampled prompt number `promptIndex` of each and answered it.
 */
export async function seedAnsweredSamples(dataSource: DataSource, s3: S3Service, opts: { count: number; seed: number; promptIndex: number }): Promise<void> {
  const [w] = (await dataSource.query(`INSERT INTO solve_workload (workload_uuid, seed, s3_url, finished_at) VALUES ($1, $2, 'https://unused', now()) RETURNING id`, [randomUUID(), opts.seed])) as { id: string }[];
  for (let i = 0; i < opts.count; i++) {
    const seriesUuid = randomUUID();
    await s3.uploadText(await s3.uploadUrl(s3.promptsBucket, seriesUuid), fakePromptsFile(seriesUuid, 20));
    const [series] = (await dataSource.query(`INSERT INTO prompt_series (series_uuid, s3_url, generator_version) VALUES ($1, $2, 0) RETURNING id`, [seriesUuid, s3.publicUrl(s3.promptsBucket, seriesUuid)])) as { id: string }[];
    const [sample] = (await dataSource.query(`INSERT INTO prompt_sample (series_id, workload_id) VALUES ($1, $2) RETURNING id`, [series.id, w.id])) as { id: string }[];
    const prompt = fakePrompts(seriesUuid, 20)[opts.promptIndex];
    await dataSource.query(`INSERT INTO prompt (sample_id, content, answer) VALUES ($1, $2, $3)`, [sample.id, prompt, fakeAnswer(prompt, opts.seed)]);
  }
}
