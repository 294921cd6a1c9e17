import { Injectable } from '@nestjs/common';
import { Timeout } from '@nestjs/schedule';
import { ChainService } from './chain.service';

/**
 * Starts the chain connection right after the daemon boots. Schedules fire only in the daemon,
 * so one-off CLI commands connect on first use instead, and never when they do not need the chain.
 */
@Injectable()
export class ChainConnector {
  constructor(private readonly chain: ChainService) {}

  @Timeout('chain-connect', 0)
  connect(): void {
    this.chain.start();
  }
}
