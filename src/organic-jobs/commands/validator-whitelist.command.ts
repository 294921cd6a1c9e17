import { isValidSs58 } from '../../protocol';
import { Command, CommandRunner } from 'nest-commander';
import { WhitelistService } from '../trust/whitelist.service';

/**
 * Not in the reference (its admin panel edits ValidatorWhitelist): `validator-whitelist list|add|remove <ss58>`,
 * the SDK hotkeys allowed to sign organic jobs for this validator.
 */
@Command({ name: 'validator-whitelist', arguments: '<action> [hotkey]', description: 'list|add|remove SDK hotkeys allowed to sign organic jobs (the ValidatorWhitelist table)' })
export class ValidatorWhitelistCommand extends CommandRunner {
  constructor(private readonly whitelist: WhitelistService) {
    super();
  }

  async run([action, hotkey]: string[]): Promise<void> {
    if (action === 'list') {
      for (const hk of await this.whitelist.list()) process.stdout.write(`${hk}\n`);
      return;
    }
    if ((action === 'add' || action === 'remove') && hotkey) {
      if (action === 'add' && !isValidSs58(hotkey)) {
        process.stderr.write(`${hotkey} is not a valid ss58 address\n`);
        process.exitCode = 1;
        return;
      }
      await (action === 'add' ? this.whitelist.add(hotkey) : this.whitelist.remove(hotkey));
      process.stdout.write(`${action === 'add' ? 'added' : 'removed'} ${hotkey}\n`);
      return;
    }
    process.stderr.write('usage: validator-whitelist list | add <ss58> | remove <ss58>\n');
    process.exitCode = 1;
  }
}
