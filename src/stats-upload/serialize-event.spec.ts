import { pythonIsoformatUtc, serializeSystemEvent, statsSigningText } from './serialize-event';

describe('stats collector serialisation (data-model.md §2.4, vector 12.6)', () => {
  it('vector 6: serialises a JOB_ROUTING event with the description merged into data', () => {
    const out = serializeSystemEvent({
      type: 'JOB_ROUTING',
      subtype: 'JOB_ROUTING_FAILURE',
      timestamp: new Date('2025-11-04T10:00:00Z'),
      longDescription: 'Job X routing report',
      data: { job_uuid: 'X' },
    });
    expect(JSON.stringify(out)).toBe(
      '{"type":"JOB_ROUTING","subtype":"JOB_ROUTING_FAILURE","timestamp":"2025-11-04T10:00:00+00:00","data":{"description":"Job X routing report","job_uuid":"X"}}',
    );
  });

  it('keeps stored data over the description on a key collision', () => {
    const out = serializeSystemEvent({ type: 'T', subtype: 'S', timestamp: new Date(0), longDescription: 'long', data: { description: 'stored' } });
    expect(out.data.description).toBe('stored');
  });

  it('writes microseconds only when non-zero, like Python', () => {
    expect(pythonIsoformatUtc(new Date('2025-11-04T10:25:00.123Z'))).toBe('2025-11-04T10:25:00.123000+00:00');
    expect(pythonIsoformatUtc(new Date('2025-11-04T10:25:00.000Z'))).toBe('2025-11-04T10:25:00+00:00');
  });

  it('builds the signing text with sorted keys and Python separators', () => {
    expect(statsSigningText(1730715900, '5FAbc')).toBe('{"signing_timestamp": 1730715900, "validator_ss58_address": "5FAbc"}');
  });
});
