import { fuzzFrames } from '../testing/fuzz-frames';
import { parseFacilitatorFrameData } from './messages';

/** Seed frames: the two messages the facilitator sends with a message_type (organic-jobs.md §2.3.5-2.3.6). */
const SEEDS = [
  `{"signature": {"signature_type": "bittensor", "signatory": "5FeZYjzAXnozLU4yfqciNxPFaVVnQBN7rSWmzZuD3MDfiZDK", "timestamp_ns": 1730000000123456789, "signature": "FCbanuAT8WAqSKy0I+VAtfQvgXPuN5IBZg0bDXBQ7QlQHCjzl50LX5XYf28jMYrLQyJ8GwdFZMOxlEa7LRRZjw==", "signature_scope": "SignedFields"}, "type": "job.new", "message_type": "V2JobRequest", "uuid": "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9", "job_namespace": "SN123.0", "executor_class": "always_on.gpu-24gb", "docker_image": "user/image:tag", "args": ["--name", "Zo\\u00eb"], "env": {"B": "2", "A": "x"}, "use_gpu": true, "volume": {"volume_type": "multi_volume", "volumes": [{"volume_type": "inline", "contents": "UEsDBA==", "relative_path": "data"}]}, "output_upload": null, "artifacts_dir": "/artifacts", "on_trusted_miner": false, "download_time_limit": 60, "execution_time_limit": 120, "upload_time_limit": 30, "streaming_start_time_limit": 5, "streaming_details": null}`,
  `{"signature": {"signature_type": "bittensor", "signatory": "5CDapJ", "timestamp_ns": 1729622861880448856, "signature": "AAAA", "signature_scope": "FullRequest"}, "type": "job.cheated", "message_type": "V0JobCheated", "job_uuid": "7b522e1a-2c5e-4f5e-8c1e-0f8f5d3c9a11", "trusted_job_uuid": "0d6b0c7e-9a4f-4d4b-9f53-3f0b1c2a5e77", "details": {"reason": "hash_mismatch"}}`,
];
/** Fields whose removal or replacement by a value of another JSON type must refuse the frame. */
const REQUIRED = {
  V2JobRequest: ['uuid', 'executor_class', 'docker_image', 'args', 'env'],
  V0JobCheated: ['signature', 'job_uuid', 'trusted_job_uuid'],
};

describe('facilitator parsers under the seeded fuzz generator', () => {
  it('the seed frames themselves parse', () => {
    expect(parseFacilitatorFrameData(SEEDS[0], false).kind).toBe('job-request');
    expect(parseFacilitatorFrameData(SEEDS[1], false).kind).toBe('job-cheated');
  });

  it('10,000 malformed, truncated, binary, oversized and mutated frames: no throw, each a failure with a reason', () => {
    const kinds = new Map<string, number>();
    for (const frame of fuzzFrames({ seed: 6006, count: 10_000, seedFrames: SEEDS, requiredFields: REQUIRED, oversizedBytes: 1024 * 1024 + 1 })) {
      const result = parseFacilitatorFrameData(frame.data, frame.binary);
      if (result.kind !== 'malformed') throw new Error(`frame ${frame.index} (${frame.description}) parsed as ${result.kind}`);
      expect(result.reason.length).toBeGreaterThan(0);
      kinds.set(frame.kind, (kinds.get(frame.kind) ?? 0) + 1);
    }
    for (const k of ['malformed', 'truncated', 'binary', 'mutated']) expect(kinds.get(k)).toBeGreaterThan(100);
  });
});
