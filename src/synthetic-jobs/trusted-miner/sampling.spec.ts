import { pickLines, shuffled, WorkloadPacker } from './sampling';
import { parseAnswers } from './llm-pipeline.service';
import { promptAnsweringJob, promptGenerationJob } from './llm-jobs';
import { serializeMessage, buildMessage, V0JobRequest } from '../../protocol';

const counter = () => {
  let i = 0;
  return (max: number) => i++ % max;
};

describe('prompt sampling maths (spec §6.4, test_llm_tasks vectors)', () => {
  // each series has 240 lines; the packer closes a workload once it holds >= prompts-per-workload prompts
  function plan(target: number, perSample: number, perWorkload: number, series: number, required: number) {
    if (series < required) return { workloads: 0, samples: 0, prompts: 0 };
    const packer = new WorkloadPacker<number>(perWorkload);
    let workloads = 0;
    let samples = 0;
    for (let s = 0; s < series; s++) {
      const lines = Array.from({ length: 240 }, (_, i) => `p${s}-${i}`);
      const full = packer.add({ series: s, prompts: pickLines(lines, perSample, counter()) });
      if (!full) continue;
      workloads += 1;
      samples += full.length;
      if (samples >= target) break;
    }
    return { workloads, samples, prompts: samples * perSample };
  }

  it.each([
    [5, 10, 20, 10, 10, { workloads: 3, samples: 6, prompts: 60 }],
    [4, 100, 80, 8, 8, { workloads: 4, samples: 4, prompts: 400 }],
    [1, 1, 5, 4, 2, { workloads: 0, samples: 0, prompts: 0 }],
    [5, 1, 240, 4, 10, { workloads: 0, samples: 0, prompts: 0 }],
  ])('target %i, %i prompts/sample, %i prompts/workload, %i series', (target, perSample, perWorkload, series, required, expected) => {
    expect(plan(target, perSample, perWorkload, series, required)).toEqual(expected);
  });

  it('picks distinct lines and shuffles without losing any', () => {
    const lines = ['a', 'b', 'c', 'd'];
    const picked = pickLines(lines, 3, counter());
    expect(new Set(picked).size).toBe(3);
    expect(shuffled(lines, counter()).sort()).toEqual(lines);
  });
});

describe('answers files', () => {
  it('accepts a JSON object of strings and refuses anything else', () => {
    expect(parseAnswers('{"prompt1": "answer1", "123": "x"}')).toEqual({ prompt1: 'answer1', 123: 'x' });
    expect(() => parseAnswers('[]')).toThrow('not a JSON object');
    expect(() => parseAnswers('{"a": 1}')).toThrow('is not a string');
    expect(() => parseAnswers('garbage')).toThrow('not a JSON object');
  });
});

describe('trusted-miner job definitions (spec §6.3, §6.5, §5.3.1)', () => {
  it('prompt generation: image, arguments and one single_file_put per series', () => {
    const job = promptGenerationJob({ jobUuid: 'j', model: 'phi3', promptsPerSeries: 99, series: [{ uuid: 'u1', uploadUrl: 'https://x/u1?Signature=s' }, { uuid: 'u2', uploadUrl: 'https://x/u2?Signature=s' }] });
    expect(job.dockerImage).toBe('backenddevelopersltd/compute-horde-prompt-gen-phi3:v0-latest');
    expect(job.dockerRunCmd).toEqual(['--quantize', '--model_name', 'phi3', '--batch_size=250', '--num_return_sequences=1', '--max_new_tokens=40', '--number_of_prompts_per_batch', '99', '--uuids', 'u1,u2']);
    expect(job.totalJobTimeoutSeconds).toBe(300);
    expect(job.volume).toBeNull();
    const wire = JSON.parse(serializeMessage(buildMessage(V0JobRequest, {
      job_uuid: 'j', executor_class: job.executorClass, docker_image: job.dockerImage, raw_script: null, docker_run_options_preset: 'nvidia_all',
      docker_run_cmd: job.dockerRunCmd, env: {}, volume: null, output_upload: job.outputUpload, artifacts_dir: null,
    }))) as { output_upload: unknown };
    expect(wire.output_upload).toEqual({
      output_upload_type: 'multi_upload',
      uploads: [
        { output_upload_type: 'single_file_put', url: 'https://x/u1?Signature=s', relative_path: 'prompts_u1.txt', signed_headers: null },
        { output_upload_type: 'single_file_put', url: 'https://x/u2?Signature=s', relative_path: 'prompts_u2.txt', signed_headers: null },
      ],
      system_output: null,
    });
  });

  it('prompt answering: solver image, seeded arguments, volume and upload of the LLM prompts job, 180 s', () => {
    const job = promptAnsweringJob({ jobUuid: 'j', fileUuid: 'f', workloadUrl: 'https://s3/answers/w', seed: 4294967295, answersUploadUrl: 'https://s3/answers/solved/f.json?X' });
    expect(job.dockerImage).toBe('docker.io/backenddevelopersltd/compute-horde-prompt-solver:v0-latest');
    expect(job.dockerRunCmd).toEqual(['--temperature=0.5', '--top-p=0.8', '--max-tokens=256', '--seed', '4294967295', '/volume/f.txt']);
    expect(job.totalJobTimeoutSeconds).toBe(180);
    expect(JSON.parse(JSON.stringify(job.volume))).toEqual({ volume_type: 'multi_volume', volumes: [{ volume_type: 'single_file', url: 'https://s3/answers/w', relative_path: 'f.txt' }] });
    expect(JSON.parse(JSON.stringify(job.outputUpload))).toEqual({
      output_upload_type: 'multi_upload',
      uploads: [{ output_upload_type: 'single_file_put', url: 'https://s3/answers/solved/f.json?X', relative_path: 'f.json', signed_headers: null }],
      system_output: null,
    });
  });
});
