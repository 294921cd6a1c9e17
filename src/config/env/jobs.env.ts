import { IsInt, IsString, Max, Min } from 'class-validator';
import { EnvBool, EnvInt, EnvString } from './parsers';

/** Trusted miner, synthetic and organic job settings, and the reference's DEBUG_* overrides. */
export class JobsEnv {
  @EnvString() @IsString() TRUSTED_MINER_ADDRESS: string = '';
  @EnvInt() @IsInt({ message: 'expected an integer port 0-65535' }) @Min(0, { message: 'expected an integer port 0-65535' }) @Max(65535, { message: 'expected an integer port 0-65535' })
  TRUSTED_MINER_PORT: number = 0;

  @EnvString() @IsString() PROMPT_GENERATION_MODEL: string = 'phi3';

  @EnvInt() @IsInt({ message: 'expected an integer number of blocks' }) SYNTHETIC_JOBS_RUN_OFFSET: number = 24;

  @EnvString() @IsString() DEBUG_MINER_KEY: string = '';
  @EnvString() @IsString() DEBUG_MINER_ADDRESS: string = '';
  @EnvInt() @IsInt({ message: 'expected an integer port 0-65535' }) @Min(0, { message: 'expected an integer port 0-65535' }) @Max(65535, { message: 'expected an integer port 0-65535' })
  DEBUG_MINER_PORT: number = 0;
  @EnvInt() @IsInt({ message: 'expected a positive integer' }) @Min(1, { message: 'expected a positive integer' }) DEBUG_MINER_COUNT: number = 1;

  @EnvBool() DEBUG_DONT_STAGGER_VALIDATORS: boolean = false;
  @EnvBool() DEBUG_USE_MOCK_BLOCK_NUMBER: boolean = false;

  /** crontab fields of the set-scores schedule. */
  @EnvString() @IsString() DEBUG_SET_SCORES_MINUTE: string = '*/1';
  @EnvString() @IsString() DEBUG_SET_SCORES_HOUR: string = '*';
  /** Second field of the set-scores and reveal-scores schedules (ours; the reference runs at second 0). */
  @EnvString() @IsString() DEBUG_SET_SCORES_SECOND: string = '0';

  @EnvString() @IsString() DEBUG_OVERRIDE_WEIGHTS_VERSION: string = '';
}
