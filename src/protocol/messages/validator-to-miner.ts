import { Equals, IsArray, IsIn, IsInt, IsOptional, IsString } from 'class-validator';
import { DOCKER_RUN_OPTIONS_PRESETS, type DockerRunOptionsPreset } from '../enums';
import { EXECUTOR_CLASSES, type ExecutorClass } from '../executor-class';
import { LaxInt } from '../lenient';
import { IsStringRecord, NestedModel, TaggedUnion } from '../model';
import { OUTPUT_UPLOAD_CLASSES, type OutputUpload } from '../output-upload';
import { JobAcceptedReceiptPayload, JobFinishedReceiptPayload, JobStartedReceiptPayload } from '../receipts';
import { ExecutorTimingDetails, StreamingDetails } from '../streaming';
import { VOLUME_CLASSES, type Volume } from '../volume';
import { GenericError, V0MainHotkeyMessage } from './common';
import { ValidateBy } from 'class-validator';

/** Validator -> miner messages (miner-protocol.md §4.1, §5.3). */

const IsStringArray = ValidateBy({
  name: 'isStringArray',
  validator: {
    validate: (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
    defaultMessage: (a) => `${a?.property} must be an array of strings`,
  },
});

export class ValidatorAuthForMiner {
  @Equals('ValidatorAuthForMiner') readonly message_type = 'ValidatorAuthForMiner' as const;
  @IsString() validator_hotkey!: string;
  @IsString() miner_hotkey!: string;
  /** Unix seconds. */
  @LaxInt() @IsInt() timestamp!: number;
  @IsString() signature!: string;
}

export class V0InitialJobRequest {
  @Equals('V0InitialJobRequest') readonly message_type = 'V0InitialJobRequest' as const;
  @IsString() job_uuid!: string;
  @IsIn(EXECUTOR_CLASSES) executor_class!: ExecutorClass;
  @IsOptional() @IsString() docker_image?: string | null = null;
  @IsOptional() @LaxInt() @IsInt() timeout_seconds?: number | null = null;
  @IsOptional() @TaggedUnion('volume_type', VOLUME_CLASSES) volume?: Volume | null = null;
  @NestedModel(JobStartedReceiptPayload) job_started_receipt_payload!: JobStartedReceiptPayload;
  @IsString() job_started_receipt_signature!: string;
  @IsOptional() @NestedModel(StreamingDetails) streaming_details?: StreamingDetails | null = null;
  @IsOptional() @NestedModel(ExecutorTimingDetails) executor_timing?: ExecutorTimingDetails | null = null;
}

export class V0JobRequest {
  @Equals('V0JobRequest') readonly message_type = 'V0JobRequest' as const;
  @IsString() job_uuid!: string;
  @IsIn(EXECUTOR_CLASSES) executor_class!: ExecutorClass;
  @IsString() docker_image!: string;
  @IsOptional() @IsString() raw_script?: string | null = null;
  @IsIn(DOCKER_RUN_OPTIONS_PRESETS) docker_run_options_preset!: DockerRunOptionsPreset;
  @IsArray() @IsStringArray docker_run_cmd!: string[];
  /** Not nullable: may be omitted ({}), never null. */
  @IsStringRecord() env: Record<string, string> = {};
  @IsOptional() @TaggedUnion('volume_type', VOLUME_CLASSES) volume?: Volume | null = null;
  @IsOptional() @TaggedUnion('output_upload_type', OUTPUT_UPLOAD_CLASSES) output_upload?: OutputUpload | null = null;
  @IsOptional() @IsString() artifacts_dir?: string | null = null;
}

export class V0JobAcceptedReceiptRequest {
  @Equals('V0JobAcceptedReceiptRequest') readonly message_type = 'V0JobAcceptedReceiptRequest' as const;
  @NestedModel(JobAcceptedReceiptPayload) payload!: JobAcceptedReceiptPayload;
  @IsString() signature!: string;
}

export class V0JobFinishedReceiptRequest {
  @Equals('V0JobFinishedReceiptRequest') readonly message_type = 'V0JobFinishedReceiptRequest' as const;
  @NestedModel(JobFinishedReceiptPayload) payload!: JobFinishedReceiptPayload;
  @IsString() signature!: string;
}

export const VALIDATOR_TO_MINER_CLASSES = {
  GenericError,
  ValidatorAuthForMiner,
  V0InitialJobRequest,
  V0JobRequest,
  V0JobAcceptedReceiptRequest,
  V0JobFinishedReceiptRequest,
  V0MainHotkeyMessage,
};

export type ValidatorMessageType = keyof typeof VALIDATOR_TO_MINER_CLASSES;
export type ValidatorToMinerMessage = InstanceType<(typeof VALIDATOR_TO_MINER_CLASSES)[ValidatorMessageType]>;
export type ValidatorMessageOf<T extends ValidatorMessageType> = InstanceType<(typeof VALIDATOR_TO_MINER_CLASSES)[T]>;
