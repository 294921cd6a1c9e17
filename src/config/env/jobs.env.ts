import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { validateCronExpression } from 'cron';
import { EnvBool, EnvInt, EnvString, Satisfies } from './parsers';

/** One field of a six-field crontab (second minute hour ...), checked in place. */
function isCronField(position: 0 | 1 | 2): (value: unknown) => boolean {
  return (value) => {
    if (typeof value !== 'string' || value === '' || /\s/.test(value)) return false;
    const fields = ['0', '*', '*', '*', '*', '*'];
    fields[position] = value;
    return validateCronExpression(fields.join(' ')).valid;
  };
}

/** Trusted miner, synthetic and organic job settings, and the reference's DEBUG_* overrides. */
export class JobsEnv {
  @EnvString() @IsString() TRUSTED_MINER_ADDRESS: string = '';
  @EnvInt() @IsInt({ message: 'expected an integer port 0-65535' }) @Min(0, { message: 'expected an integer port 0-65535' }) @Max(65535, { message: 'expected an integer port 0-65535' })
  TRUSTED_MINER_PORT: number = 0;

  @EnvString() @IsString() PROMPT_GENERATION_MODEL: string = 'phi3';

  @EnvInt() @IsInt({ message: 'expected an integer number of blocks' }) @Min(0, { message: 'expected an integer number of blocks >= 0' }) SYNTHETIC_JOBS_RUN_OFFSET: number = 24;

  @EnvString() @IsString() DEBUG_MINER_KEY: string = '';
  @EnvString() @IsString() DEBUG_MINER_ADDRESS: string = '';
  @EnvInt() @IsInt({ message: 'expected an integer port 0-65535' }) @Min(0, { message: 'expected an integer port 0-65535' }) @Max(65535, { message: 'expected an integer port 0-65535' })
  DEBUG_MINER_PORT: number = 0;
  @EnvInt() @IsInt({ message: 'expected a positive integer' }) @Min(1, { message: 'expected a positive integer' }) DEBUG_MINER_COUNT: number = 1;

  @EnvBool() DEBUG_USE_MOCK_BLOCK_NUMBER: boolean = false;

  /** crontab fields of the set-scores schedule (the reference's). */
  @EnvString() @Satisfies('cronMinute', isCronField(1), 'expected a crontab minute field such as */1, 0-59/5 or 7') DEBUG_SET_SCORES_MINUTE: string = '*/1';
  @EnvString() @Satisfies('cronHour', isCronField(2), 'expected a crontab hour field such as *, */2 or 3') DEBUG_SET_SCORES_HOUR: string = '*';
  /** Second field of the set-scores and reveal-scores schedules (ours; the reference runs at second 0). */
  @EnvString() @Satisfies('cronSecond', isCronField(0), 'expected a crontab second field such as 0 or */3') DEBUG_SET_SCORES_SECOND: string = '0';

  /** Replaces DYNAMIC_WEIGHTS_VERSION for the hashcat generator (reference). */
  @EnvInt() @IsOptional() @IsInt({ message: 'expected an integer weights version >= 0 (or empty)' }) @Min(0, { message: 'expected an integer weights version >= 0 (or empty)' })
  DEBUG_OVERRIDE_WEIGHTS_VERSION?: number;

  /** Ours: `devnet` shortens synthetic stage deadlines for simulated executors; empty/`reference` for real miners. */
  @EnvString() @IsIn(['', 'reference', 'devnet'], { message: 'expected empty, reference or devnet' }) DEBUG_SYNTHETIC_TIMINGS: string = '';

  /** Ours: `devnet`/`minimal` make hashcat jobs a CPU cracks at once; empty/`production` for real miners. */
  @EnvString() @IsIn(['', 'production', 'devnet', 'minimal'], { message: 'expected empty, production, devnet or minimal' }) DEBUG_SYNTHETIC_HASHCAT_DIFFICULTY: string = '';
}
