import { Command, CommandRunner, Option } from 'nest-commander';
import { DynamicConfigFetcher, FetchOutcome } from '../dynamic/remote/dynamic-config-fetcher.service';
import { checkDynamicValue, isDynamicConfigKey, showDynamicValue } from '../dynamic/dynamic-config.parse';
import { UNUSED_REFERENCE_KEYS } from '../dynamic/dynamic-config.keys';
import { RemoteItem } from '../dynamic/remote/remote-document';

/** Python's type names, as the reference prints them. */
function pyType(value: unknown): string {
  if (value === null) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  return Array.isArray(value) ? 'list' : 'dict';
}

/** What this validator would do with the value: use it, refuse it (why), or ignore the key. */
function verdict(key: string, item: RemoteItem): string {
  if (!isDynamicConfigKey(key)) return UNUSED_REFERENCE_KEYS.has(key) ? 'not used here (nor by the reference)' : 'not used here';
  try {
    const { notes } = checkDynamicValue(key, item.value);
    return notes.length ? `ok; ${notes.join('; ')}` : 'ok';
  } catch (e) {
    return `REFUSED: ${(e as Error).message.replace(`${key}: `, '')}`;
  }
}

/**
 * The reference's `fetch_dynamic_config` command: prints what the configured remote source holds
 * (`- KEY: value [type: …]`), for the JSON files as well as the contract. Nothing is applied unless
 * `--apply` (ours) runs one fetch as the daemon does.
 */
@Command({ name: 'fetch-dynamic-config', description: "print the subnet owner's dynamic config as the configured source holds it (--apply: also apply it now)" })
export class FetchDynamicConfigCommand extends CommandRunner {
  constructor(private readonly fetcher: DynamicConfigFetcher) {
    super();
  }

  @Option({ flags: '--apply', description: 'apply the values now (as the daemon does every 5 minutes)' })
  parseApply(): boolean {
    return true;
  }

  async run(_args: string[], opts: { apply?: boolean } = {}): Promise<void> {
    const out = (line: string) => process.stdout.write(`${line}\n`);
    let contents;
    try {
      contents = await this.fetcher.readSource();
    } catch (e) {
      process.stderr.write(`Failed to fetch dynamic config: ${(e as Error).message}\n`);
      process.exitCode = 1;
      return;
    }
    out(`Fetching dynamic config from ${contents.description}`);
    for (const doc of contents.documents) {
      out(`${doc.origin}:`);
      if (doc.values.size === 0 && doc.malformed.length === 0) out('  (no DYNAMIC_* values)');
      for (const [key, item] of doc.values) {
        const since = item.effectiveFrom ? `, since ${item.effectiveFrom}` : '';
        const reason = item.reason ? `, reason: ${item.reason}` : '';
        out(`- ${key}: ${showDynamicValue(item.value)} [type: ${pyType(item.value)}] (${verdict(key, item)}${since}${reason})`);
      }
      for (const m of doc.malformed) out(`- ${m.key}: REFUSED: ${m.reason}`);
      if (doc.pending.length) out(`  only future items: ${doc.pending.join(', ')}`);
      if (doc.absent?.length) out(`  not in the contract: ${doc.absent.join(', ')}`);
    }
    if (!opts.apply) return;
    const outcome: FetchOutcome = await this.fetcher.fetchAndApply({ retryDelaysMs: [] });
    if (outcome.state === 'fetched') {
      const r = outcome.report;
      out(`applied ${r.applied.length} value(s), refused ${r.refused.length}, ignored ${r.ignored.length}`);
      for (const s of r.shadowed) out(`  ${s.key}: the operator override ${showDynamicValue(s.override)} hides the applied ${showDynamicValue(s.remote)}`);
      if (r.refused.length) process.exitCode = 1;
    } else {
      process.stderr.write(`not applied: ${outcome.state === 'skipped' ? outcome.reason : outcome.error}\n`);
      process.exitCode = 1;
    }
  }
}
