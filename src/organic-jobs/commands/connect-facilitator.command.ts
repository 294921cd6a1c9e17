import { Command, CommandRunner } from 'nest-commander';
import { FacilitatorClientService } from '../facilitator/facilitator-client.service';
import { abortOnStopSignal } from '../../common/stop-signals';

@Command({ name: 'connect-facilitator', description: 'connect to FACILITATOR_URI and serve organic jobs in the foreground until SIGINT/SIGTERM' })
export class ConnectFacilitatorCommand extends CommandRunner {
  constructor(private readonly client: FacilitatorClientService) {
    super();
  }

  async run(): Promise<void> {
    if (!this.client.options.uri) {
      process.stderr.write('FACILITATOR_URI is empty\n');
      process.exitCode = 1;
      return;
    }
    process.stderr.write(`connecting to ${this.client.options.uri}\n`);
    const stop = abortOnStopSignal();
    try {
      await this.client.runUntil(stop.signal);
    } finally {
      stop.dispose();
    }
  }
}
