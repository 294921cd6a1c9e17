import { pythonFormatFixed, pythonFormatGeneral } from './python-format';

describe('score_str formatting (§10.6)', () => {
  it.each([
    [12, '12.000000'], [0, '0.000000'], [1.5, '1.500000'], [0.0078125, '0.007812'], [0.0234375, '0.023438'], [-1.25, '-1.250000'], [1e20, '100000000000000000000.000000'],
  ])('%%.6f of %p is %p', (x, expected) => expect(pythonFormatFixed(x)).toBe(expected));

  it.each([
    [1.0, '1'], [0.5, '0.5'], [0.123456789, '0.123457'], [1234567, '1.23457e+06'], [1e-7, '1e-07'], [0, '0'], [999999.5, '1e+06'], [0.0001, '0.0001'], [0.00001234, '1.234e-05'], [123456, '123456'], [-2.5, '-2.5'], [100, '100'],
  ])('%%.6g of %p is %p', (x, expected) => expect(pythonFormatGeneral(x)).toBe(expected));
});
