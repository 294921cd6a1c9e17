import { IsInt, IsOptional, IsString } from 'class-validator';
import { LaxInt } from './lenient';

/** StreamingDetails (§7.3) and ExecutorTimingDetails (§5.3). */

export class StreamingDetails {
  /** PEM certificate of the client that will connect to the streaming job. */
  @IsString() public_key!: string;
  /** Set by the miner for the executor; the validator sends null. */
  @IsOptional() @IsString() executor_ip?: string | null = null;
}

export class ExecutorTimingDetails {
  @LaxInt() @IsInt() allowed_leeway!: number;
  @LaxInt() @IsInt() download_time_limit!: number;
  @LaxInt() @IsInt() execution_time_limit!: number;
  @LaxInt() @IsInt() upload_time_limit!: number;
  @LaxInt() @IsInt() streaming_start_time_limit!: number;
}
