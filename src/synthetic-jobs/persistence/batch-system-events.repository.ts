import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { toJsonData, type SystemEventInput } from '../../observability/system-events/system-events.service';

/**
 * The batch's writes to the observability module's `system_event` table: thousands of buffered events
 * in a few multi-row statements at the end of a batch (`SystemEventsService.record` writes one row per
 * call), and whether an event was recorded lately (rate-limited events).
 */
@Injectable()
export class BatchSystemEventsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One multi-row INSERT per 1000 events; throws what the database throws. */
  async insertMany(events: SystemEventInput[]): Promise<void> {
    const rows = events.map((e) => ({ type: e.type, subtype: e.subtype, long_description: e.description ?? '', data: toJsonData(e.data ?? {}) }));
    for (let i = 0; i < rows.length; i += 1000) {
      await this.dataSource.query(
        `INSERT INTO system_event (type, subtype, long_description, data)
         SELECT type, subtype, long_description, data FROM jsonb_to_recordset($1::jsonb) AS x(type varchar, subtype varchar, long_description text, data jsonb)`,
        [JSON.stringify(rows.slice(i, i + 1000))],
      );
    }
  }

  /** Whether an `INSUFFICIENT_PROMPTS` telemetry event was recorded after `since`. */
  async insufficientPromptsSince(since: Date): Promise<boolean> {
    const recent = (await this.dataSource.query(
      `SELECT 1 FROM system_event WHERE type = 'VALIDATOR_TELEMETRY' AND subtype = 'INSUFFICIENT_PROMPTS' AND timestamp > $1 LIMIT 1`, [since],
    )) as unknown[];
    return recent.length > 0;
  }
}
