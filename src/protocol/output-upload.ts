import { Equals, IsOptional, IsString, IsArray } from 'class-validator';
import { IsStringRecord, TaggedUnion } from './model';

/** Output uploads (miner-protocol.md §7.2), tagged on output_upload_type. */

export class ZipAndHttpPostUpload {
  @Equals('zip_and_http_post') readonly output_upload_type = 'zip_and_http_post' as const;
  @IsString() url!: string;
  @IsOptional() @IsStringRecord() form_fields?: Record<string, string> | null = null;
}

export class ZipAndHttpPutUpload {
  @Equals('zip_and_http_put') readonly output_upload_type = 'zip_and_http_put' as const;
  @IsString() url!: string;
}

export class SingleFilePostUpload {
  @Equals('single_file_post') readonly output_upload_type = 'single_file_post' as const;
  @IsString() url!: string;
  @IsString() relative_path!: string;
  @IsOptional() @IsStringRecord() form_fields?: Record<string, string> | null = null;
  @IsOptional() @IsStringRecord() signed_headers?: Record<string, string> | null = null;
}

export class SingleFilePutUpload {
  @Equals('single_file_put') readonly output_upload_type = 'single_file_put' as const;
  @IsString() url!: string;
  @IsString() relative_path!: string;
  @IsOptional() @IsStringRecord() signed_headers?: Record<string, string> | null = null;
}

export type SingleFileUpload = SingleFilePostUpload | SingleFilePutUpload;
export type ZipUpload = ZipAndHttpPostUpload | ZipAndHttpPutUpload;

export class MultiUpload {
  @Equals('multi_upload') readonly output_upload_type = 'multi_upload' as const;
  @IsArray() @TaggedUnion('output_upload_type', { single_file_post: SingleFilePostUpload, single_file_put: SingleFilePutUpload }, { each: true })
  uploads!: SingleFileUpload[];
  @IsOptional() @TaggedUnion('output_upload_type', { zip_and_http_post: ZipAndHttpPostUpload, zip_and_http_put: ZipAndHttpPutUpload })
  system_output?: ZipUpload | null = null;
}

export type OutputUpload = ZipUpload | SingleFileUpload | MultiUpload;

export const OUTPUT_UPLOAD_CLASSES = {
  zip_and_http_post: ZipAndHttpPostUpload,
  zip_and_http_put: ZipAndHttpPutUpload,
  single_file_post: SingleFilePostUpload,
  single_file_put: SingleFilePutUpload,
  multi_upload: MultiUpload,
};
export type OutputUploadType = keyof typeof OUTPUT_UPLOAD_CLASSES;
