import { Equals, IsArray, IsIn, IsOptional, IsString, ValidateBy } from 'class-validator';
import { TaggedUnion } from './model';

/** Input volumes (miner-protocol.md §7.1), tagged on volume_type. */

export class InlineVolume {
  @Equals('inline') readonly volume_type = 'inline' as const;
  /** base64 of a ZIP file */
  @IsString() contents!: string;
  @IsOptional() @IsString() relative_path?: string | null = null;
}

export class ZipUrlVolume {
  @Equals('zip_url') readonly volume_type = 'zip_url' as const;
  /** The URL (historical field name). */
  @IsString() contents!: string;
  @IsOptional() @IsString() relative_path?: string | null = null;
}

export class SingleFileVolume {
  @Equals('single_file') readonly volume_type = 'single_file' as const;
  @IsString() url!: string;
  @IsString() relative_path!: string;
}

const isStringOrStringArray = ValidateBy({
  name: 'isStringOrStringArray',
  validator: {
    validate: (v: unknown) => v === null || v === undefined || typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')),
    defaultMessage: () => 'allow_patterns must be a string or an array of strings',
  },
});

export class HuggingfaceVolume {
  @Equals('huggingface_volume') readonly volume_type = 'huggingface_volume' as const;
  @IsString() repo_id!: string;
  @IsOptional() @IsIn(['model', 'dataset', 'space']) repo_type?: 'model' | 'dataset' | 'space' | null = null;
  @IsOptional() @IsString() revision?: string | null = null;
  @IsOptional() @IsString() relative_path?: string | null = null;
  @isStringOrStringArray allow_patterns?: string | string[] | null = null;
  @IsOptional() @IsString() token?: string | null = null;
}

export type SingleVolume = InlineVolume | ZipUrlVolume | SingleFileVolume | HuggingfaceVolume;

export const SINGLE_VOLUME_CLASSES = {
  inline: InlineVolume,
  zip_url: ZipUrlVolume,
  single_file: SingleFileVolume,
  huggingface_volume: HuggingfaceVolume,
};

export class MultiVolume {
  @Equals('multi_volume') readonly volume_type = 'multi_volume' as const;
  @IsArray() @TaggedUnion('volume_type', SINGLE_VOLUME_CLASSES, { each: true }) volumes!: SingleVolume[];
}

export type Volume = SingleVolume | MultiVolume;

export const VOLUME_CLASSES = { ...SINGLE_VOLUME_CLASSES, multi_volume: MultiVolume };
export type VolumeType = keyof typeof VOLUME_CLASSES;
