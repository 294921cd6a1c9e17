import { Test } from '@nestjs/testing';
import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { ExclusiveRunner } from '../../database/exclusive-runner.service';
import { LlmPipelineSchedule } from './llm-pipeline.schedule';
import { LlmPipelineService } from './llm-pipeline.service';
import { LlmSamplesService } from './llm-samples.service';

describe('LLM pipeline schedule', () => {
  it('registers the reference intervals (5 / 30 / 5 min, daily eviction) and runs each task under its own exclusive name', async () => {
    const calls: string[] = [];
    const pipeline = {
      generatePrompts: async () => calls.push('generate'),
      samplePrompts: async () => calls.push('sample'),
      answerPrompts: async () => calls.push('answer'),
    };
    const exclusive = { runExclusive: async (name: string, fn: () => Promise<unknown>) => (calls.push(`lock:${name}`), { ran: true, value: await fn() }) };
    const module = await Test.createTestingModule({
      imports: [ScheduleModule.forRoot()],
      providers: [
        LlmPipelineSchedule,
        { provide: LlmPipelineService, useValue: pipeline },
        { provide: LlmSamplesService, useValue: { evict: async () => calls.push('evict') } },
        { provide: ExclusiveRunner, useValue: exclusive },
      ],
    }).compile();
    await module.init();
    const registry = module.get(SchedulerRegistry);
    const ms = (name: string) => (registry.getInterval(name) as { _repeat: number })._repeat;
    expect([ms('llm_prompt_generation'), ms('llm_prompt_sampling'), ms('llm_prompt_answering'), ms('llm_prompt_eviction')]).toEqual([300_000, 1_800_000, 300_000, 86_400_000]);
    const schedule = module.get(LlmPipelineSchedule);
    await schedule.generation();
    await schedule.sampling();
    await schedule.answering();
    await schedule.eviction();
    expect(calls).toEqual(['lock:llm_prompt_generation', 'generate', 'lock:llm_prompt_sampling', 'sample', 'lock:llm_prompt_answering', 'answer', 'lock:llm_prompt_eviction', 'evict']);
    await module.close();
  });
});
