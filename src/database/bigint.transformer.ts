import type { ValueTransformer } from 'typeorm';

/** bigint <-> int8/numeric column. pg hands back strings; numbers and bigints are accepted too. */
export const bigintColumn: ValueTransformer = {
  to: (value: bigint | null | undefined) => (value === null || value === undefined ? value : value.toString()),
  from: (value: string | number | bigint | null) => (value === null || value === undefined ? value : BigInt(value)),
};
