import { execFileSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { inspect } from 'node:util';
import { generateSelfSignedCertificate } from './self-signed-certificate';

describe('self-signed streaming certificate (synthetic-jobs.md §4.2)', () => {
  const now = new Date('2026-11-25T10:20:30.456Z');
  let cert: Awaited<ReturnType<typeof generateSelfSignedCertificate>>;
  let x509: X509Certificate;

  beforeAll(async () => {
    cert = await generateSelfSignedCertificate({ altName: '127.0.0.1', now });
    x509 = new X509Certificate(cert.certPem);
  });

  it('has the reference fields: CN=localhost both ways, SAN localhost + 127.0.0.1, 365 days, not a CA, RSA-2048', () => {
    expect(x509.subject).toBe('CN=localhost');
    expect(x509.issuer).toBe('CN=localhost');
    expect(x509.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(x509.ca).toBe(false);
    expect(new Date(x509.validFrom).toISOString()).toBe('2026-11-25T10:20:30.000Z');
    expect(new Date(x509.validTo).toISOString()).toBe('2027-11-25T10:20:30.000Z');
    expect(x509.publicKey.asymmetricKeyType).toBe('rsa');
    expect(x509.publicKey.asymmetricKeyDetails).toMatchObject({ modulusLength: 2048, publicExponent: 65537n });
    expect(x509.verify(x509.publicKey)).toBe(true); // self-signed
    expect(BigInt(`0x${x509.serialNumber}`)).toBeGreaterThan(0n);
  });

  it('is read by openssl as v3, sha256WithRSAEncryption, with a critical CA:FALSE', () => {
    const text = execFileSync('openssl', ['x509', '-noout', '-text'], { input: cert.certPem }).toString();
    expect(text).toContain('Version: 3 (0x2)');
    expect(text.match(/Signature Algorithm: sha256WithRSAEncryption/g)).toHaveLength(2);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/X509v3 Subject Alternative Name: \s*\n\s+DNS:localhost, IP Address:127\.0\.0\.1/);
  });

  it('comes with its PKCS#8 private key, which never shows in JSON or inspect output', () => {
    expect(cert.keyPem()).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(x509.checkPrivateKey(createPrivateKey(cert.keyPem()))).toBe(true);
    expect(JSON.stringify(cert)).not.toContain('PRIVATE KEY');
    expect(inspect(cert, { showHidden: true, depth: 5 })).not.toContain('PRIVATE KEY');
    expect(Object.values(cert).join('')).not.toContain('PRIVATE KEY');
  });

  it('puts an executor address (IPv4, IPv6 or name) into the second SAN entry; serials differ', async () => {
    const v6 = new X509Certificate((await generateSelfSignedCertificate({ altName: '2001:db8::1' })).certPem);
    expect(v6.subjectAltName).toBe('DNS:localhost, IP Address:2001:DB8:0:0:0:0:0:1');
    const dns = new X509Certificate((await generateSelfSignedCertificate({ altName: 'executor.example' })).certPem);
    expect(dns.subjectAltName).toBe('DNS:localhost, DNS:executor.example');
    expect(v6.serialNumber).not.toBe(dns.serialNumber);
  });
});
