import { ipFromInt, isServing } from './metagraph';

describe('ipFromInt (Python ipaddress.ip_address semantics)', () => {
  it('decodes IPv4 below 2^32', () => {
    expect(ipFromInt(2130706434n)).toEqual({ ip: '127.0.0.2', version: 4 });
    expect(ipFromInt(0n)).toEqual({ ip: '0.0.0.0', version: 4 });
    expect(ipFromInt(4294967295n)).toEqual({ ip: '255.255.255.255', version: 4 });
  });
  it('decodes IPv6 with RFC 5952 compression', () => {
    expect(ipFromInt(1n << 32n)).toEqual({ ip: '::1:0:0', version: 6 });
    expect(ipFromInt(0x20010db8000000000000000000000001n)).toEqual({ ip: '2001:db8::1', version: 6 });
    expect(ipFromInt(0x20010db8000100000001000000000000n)).toEqual({ ip: '2001:db8:1:0:1::', version: 6 });
    expect(ipFromInt(0x20010db8000000010000000000000001n)).toEqual({ ip: '2001:db8:0:1::1', version: 6 });
  });
  it('treats 0.0.0.0 as not serving', () => {
    expect(isServing({ axon: { ip: '0.0.0.0', port: 0, ipVersion: 4, ipType: 4, protocol: 0, version: 0 } })).toBe(false);
    expect(isServing({ axon: { ip: '127.0.0.2', port: 8000, ipVersion: 4, ipType: 4, protocol: 4, version: 1 } })).toBe(true);
  });
});
