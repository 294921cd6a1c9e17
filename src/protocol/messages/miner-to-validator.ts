import { Equals, IsIn, IsInt, IsOptional, IsString, IsArray } from 'class-validator';
import { Transform } from 'class-transformer';
import {
  HORDE_FAILURE_REASONS, JOB_FAILURE_REASONS, JOB_PARTICIPANT_TYPES, JOB_REJECTION_REASONS, JOB_STAGES, UNAUTHORIZED_CODES,
  type HordeFailureReason, type JobFailureReason, type JobParticipantType, type JobRejectionReason, type JobStage, type UnauthorizedCode,
} from '../enums';
import { EXECUTOR_CLASSES, type ExecutorClass } from '../executor-class';
import { LaxInt, LenientEnum } from '../lenient';
import { IsJsonObject, isPlainObject, IsStringRecord, NestedModel } from '../model';
import { Receipt } from '../receipts';
import { GenericError, V0MainHotkeyMessage } from './common';
import { ValidateBy } from 'class-validator';

/** Miner -> validator messages (miner-protocol.md §5.4, §6). */

export type FailureContext = Record<string, unknown>;

const IsManifest = ValidateBy({
  name: 'isManifest',
  validator: {
    validate: (v: unknown) =>
      isPlainObject(v) &&
      Object.entries(v).every(([k, n]) => (EXECUTOR_CLASSES as readonly string[]).includes(k) && Number.isInteger(n) && (n as number) >= 0),
    defaultMessage: (a) => {
      const v = a?.value;
      if (!isPlainObject(v)) return 'manifest must be an object of executor class -> count';
      const badKey = Object.keys(v).find((k) => !(EXECUTOR_CLASSES as readonly string[]).includes(k));
      if (badKey !== undefined) return `unknown executor class ${JSON.stringify(badKey)}`;
      return 'manifest counts must be non-negative integers';
    },
  },
});

export class UnauthorizedError {
  @Equals('UnauthorizedError') readonly message_type = 'UnauthorizedError' as const;
  @IsIn(UNAUTHORIZED_CODES) code!: UnauthorizedCode;
  @IsOptional() @IsString() details?: string | null = null;
}

export class V0ExecutorManifestRequest {
  @Equals('V0ExecutorManifestRequest') readonly message_type = 'V0ExecutorManifestRequest' as const;
  /** Executor class -> number of executors; an unknown class rejects the whole frame (reference). */
  @Transform(({ obj }) => {
    const raw = (obj as Record<string, unknown>).manifest;
    if (!isPlainObject(raw)) return raw;
    const out: Record<string, unknown> = {};
    for (const [k, n] of Object.entries(raw)) {
      const s = typeof n === 'string' && /^\d+$/.test(n.trim()) ? Number(n) : n;
      out[k] = s;
    }
    return out;
  })
  @IsManifest
  manifest!: Partial<Record<ExecutorClass, number>>;
}

export class V0AcceptJobRequest {
  @Equals('V0AcceptJobRequest') readonly message_type = 'V0AcceptJobRequest' as const;
  @IsString() job_uuid!: string;
}

export class V0DeclineJobRequest {
  @Equals('V0DeclineJobRequest') readonly message_type = 'V0DeclineJobRequest' as const;
  @IsString() job_uuid!: string;
  /** Defaults to "" and is not nullable. */
  @IsString() message: string = '';
  @LenientEnum(JOB_REJECTION_REASONS) @IsIn(JOB_REJECTION_REASONS) reason: JobRejectionReason = 'unknown';
  @IsArray() @NestedModel(Receipt, { each: true }) receipts: Receipt[] = [];
  @IsOptional() @IsJsonObject() context?: FailureContext | null = null;
}

export class V0ExecutorReadyRequest {
  @Equals('V0ExecutorReadyRequest') readonly message_type = 'V0ExecutorReadyRequest' as const;
  @IsString() job_uuid!: string;
  @IsOptional() @IsString() executor_token?: string | null = null;
}

export class V0ExecutorFailedRequest {
  @Equals('V0ExecutorFailedRequest') readonly message_type = 'V0ExecutorFailedRequest' as const;
  @IsString() job_uuid!: string;
  @IsOptional() @IsString() executor_token?: string | null = null;
}

export class V0StreamingJobNotReadyRequest {
  @Equals('V0StreamingJobNotReadyRequest') readonly message_type = 'V0StreamingJobNotReadyRequest' as const;
  @IsString() job_uuid!: string;
  @IsOptional() @IsString() executor_token?: string | null = null;
}

export class V0StreamingJobReadyRequest {
  @Equals('V0StreamingJobReadyRequest') readonly message_type = 'V0StreamingJobReadyRequest' as const;
  @IsString() job_uuid!: string;
  @IsOptional() @IsString() executor_token?: string | null = null;
  @IsString() public_key!: string;
  @IsOptional() @IsString() ip?: string | null = null;
  @LaxInt() @IsInt() port!: number;
  @IsOptional() @IsString() miner_signature?: string | null = null;
}

export class V0VolumesReadyRequest {
  @Equals('V0VolumesReadyRequest') readonly message_type = 'V0VolumesReadyRequest' as const;
  @IsString() job_uuid!: string;
}

export class V0ExecutionDoneRequest {
  @Equals('V0ExecutionDoneRequest') readonly message_type = 'V0ExecutionDoneRequest' as const;
  @IsString() job_uuid!: string;
}

export class V0JobFinishedRequest {
  @Equals('V0JobFinishedRequest') readonly message_type = 'V0JobFinishedRequest' as const;
  @IsString() job_uuid!: string;
  @IsString() docker_process_stdout!: string;
  @IsString() docker_process_stderr!: string;
  @IsOptional() @IsStringRecord() artifacts?: Record<string, string> | null = null;
  /** Values are JSON strings {"headers": {...}, "body": "..."}. */
  @IsOptional() @IsStringRecord() upload_results?: Record<string, string> | null = null;
}

export class V0JobFailedRequest {
  @Equals('V0JobFailedRequest') readonly message_type = 'V0JobFailedRequest' as const;
  @IsString() job_uuid!: string;
  /** Legacy input alias: error_detail. */
  @IsString() message: string = '';
  /** Legacy input alias: error_type. */
  @LenientEnum(JOB_FAILURE_REASONS) @IsIn(JOB_FAILURE_REASONS) reason: JobFailureReason = 'unknown';
  @LenientEnum(JOB_STAGES) @IsIn(JOB_STAGES) stage: JobStage = 'unknown';
  @IsOptional() @LaxInt() @IsInt() docker_process_exit_status?: number | null = null;
  @IsOptional() @IsString() docker_process_stdout?: string | null = null;
  @IsOptional() @IsString() docker_process_stderr?: string | null = null;
  @IsOptional() @IsJsonObject() context?: FailureContext | null = null;
}

export class V0HordeFailedRequest {
  @Equals('V0HordeFailedRequest') readonly message_type = 'V0HordeFailedRequest' as const;
  @IsString() job_uuid!: string;
  @LenientEnum(JOB_PARTICIPANT_TYPES) @IsIn(JOB_PARTICIPANT_TYPES) reported_by!: JobParticipantType;
  @IsString() message!: string;
  @LenientEnum(HORDE_FAILURE_REASONS) @IsIn(HORDE_FAILURE_REASONS) reason!: HordeFailureReason;
  @IsOptional() @IsJsonObject() context?: FailureContext | null = null;
}

export class V0MachineSpecsRequest {
  @Equals('V0MachineSpecsRequest') readonly message_type = 'V0MachineSpecsRequest' as const;
  @IsString() job_uuid!: string;
  /** {"specs": {...}}: opaque JSON. */
  @IsJsonObject() specs!: Record<string, unknown>;
}

export const MINER_TO_VALIDATOR_CLASSES = {
  GenericError,
  UnauthorizedError,
  V0ExecutorManifestRequest,
  V0MainHotkeyMessage,
  V0DeclineJobRequest,
  V0AcceptJobRequest,
  V0ExecutorFailedRequest,
  V0StreamingJobNotReadyRequest,
  V0ExecutorReadyRequest,
  V0StreamingJobReadyRequest,
  V0JobFailedRequest,
  V0VolumesReadyRequest,
  V0ExecutionDoneRequest,
  V0JobFinishedRequest,
  V0MachineSpecsRequest,
  V0HordeFailedRequest,
};

export type MinerMessageType = keyof typeof MINER_TO_VALIDATOR_CLASSES;
export type MinerToValidatorMessage = InstanceType<(typeof MINER_TO_VALIDATOR_CLASSES)[MinerMessageType]>;
export type MinerMessageOf<T extends MinerMessageType> = InstanceType<(typeof MINER_TO_VALIDATOR_CLASSES)[T]>;

/** Messages that carry no job_uuid (§5.5). */
export const JOBLESS_MINER_MESSAGE_TYPES: readonly MinerMessageType[] = ['GenericError', 'UnauthorizedError', 'V0ExecutorManifestRequest', 'V0MainHotkeyMessage'];
