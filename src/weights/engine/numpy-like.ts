/**
 * The few numpy behaviours the reference's weight processing depends on, reproduced in plain
 * numbers: float32/float64 arrays (every float32 result rounded with Math.fround), numpy's
 * pairwise summation, and NumPy 2 promotion rules (a Python float operand is "weak": it is cast to
 * the array's dtype before the operation). Pure.
 */
export type DType = 'float32' | 'float64';

/** A 1-d float array; `data` holds values already representable in `dtype`. */
export interface FloatArray {
  readonly dtype: DType;
  readonly data: number[];
}

export function castTo(dtype: DType, x: number): number {
  return dtype === 'float32' ? Math.fround(x) : x;
}

export function floatArray(dtype: DType, values: readonly number[]): FloatArray {
  return { dtype, data: values.map((v) => castTo(dtype, v)) };
}

/** numpy's `add.reduce` for a contiguous 1-d float array (pairwise, blocks of 128, 8 accumulators). */
export function npSum(a: FloatArray): number {
  return pairwise(a.data, 0, a.data.length, a.dtype);
}

const PW_BLOCKSIZE = 128;

function pairwise(v: readonly number[], start: number, n: number, dtype: DType): number {
  const c = dtype === 'float32' ? Math.fround : (x: number) => x;
  if (n < 8) {
    // numpy starts from -0.0 so that sum([-0.0]) keeps its sign.
    let res = -0;
    for (let i = 0; i < n; i++) res = c(res + v[start + i]);
    return res;
  }
  if (n <= PW_BLOCKSIZE) {
    const r = [0, 1, 2, 3, 4, 5, 6, 7].map((j) => v[start + j]);
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j] = c(r[j] + v[start + i + j]);
    }
    let res = c(c(c(r[0] + r[1]) + c(r[2] + r[3])) + c(c(r[4] + r[5]) + c(r[6] + r[7])));
    for (; i < n; i++) res = c(res + v[start + i]);
    return res;
  }
  let n2 = Math.trunc(n / 2);
  n2 -= n2 % 8;
  return c(pairwise(v, start, n2, dtype) + pairwise(v, start + n2, n - n2, dtype));
}

/** `np.cumsum` (sequential accumulation in the array's dtype). */
export function npCumsum(a: FloatArray): FloatArray {
  const out: number[] = [];
  let acc = 0;
  a.data.forEach((x, i) => {
    acc = i === 0 ? x : castTo(a.dtype, acc + x);
    out.push(acc);
  });
  return { dtype: a.dtype, data: out };
}

/** `arr op python_float`: the scalar is cast to the array dtype first (NEP 50 weak scalar). */
export function mapWithScalar(a: FloatArray, scalar: number, op: (x: number, s: number) => number): FloatArray {
  const s = castTo(a.dtype, scalar);
  return { dtype: a.dtype, data: a.data.map((x) => castTo(a.dtype, op(x, s))) };
}

/** `arr / arr_scalar_of_same_dtype` and similar, with the result cast to the dtype. */
export function mapInDtype(a: FloatArray, fn: (x: number, i: number) => number): FloatArray {
  return { dtype: a.dtype, data: a.data.map((x, i) => castTo(a.dtype, fn(x, i))) };
}

export function npMax(a: FloatArray): number {
  let m = -Infinity;
  for (const x of a.data) if (x > m || Number.isNaN(x)) m = x;
  return m;
}
