// TOTP against RFC 6238's own test values (appendix B, SHA-1), and base32 against RFC 4648's.
import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, matchTotp, totpCode } from './totp.ts';

// RFC 6238's SHA-1 seed, "12345678901234567890", in base32.
const rfcSecret = base32Encode(Buffer.from('12345678901234567890'));

describe('TOTP', () => {
  it("gives RFC 6238's codes (their last 6 digits) at RFC 6238's times", () => {
    const vectors: [number, string][] = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [seconds, code] of vectors) expect(totpCode(rfcSecret, seconds * 1000)).toBe(code.slice(-6));
  });

  it("gives RFC 4226's HOTP values", () => {
    expect([0, 1, 9].map((c) => hotp(Buffer.from('12345678901234567890'), c))).toEqual(['755224', '287082', '520489']);
  });

  it('accepts one step either side of now, and names the step; nothing further, nothing malformed', () => {
    const now = 1111111111_000;
    const step = Math.floor(now / 30_000);
    expect(matchTotp(rfcSecret, totpCode(rfcSecret, now), now)).toBe(step);
    expect(matchTotp(rfcSecret, totpCode(rfcSecret, now - 30_000), now)).toBe(step - 1);
    expect(matchTotp(rfcSecret, totpCode(rfcSecret, now + 30_000), now)).toBe(step + 1);
    expect(matchTotp(rfcSecret, totpCode(rfcSecret, now - 60_000), now)).toBeNull();
    expect(matchTotp(rfcSecret, totpCode(rfcSecret, now + 60_000), now)).toBeNull();
    expect(matchTotp(rfcSecret, '12345', now)).toBeNull();
    expect(matchTotp(rfcSecret, 'abcdef', now)).toBeNull();
  });
});

describe('base32', () => {
  it("encodes RFC 4648's examples (without padding) and decodes them back", () => {
    const examples: [string, string][] = [['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']];
    for (const [plain, encoded] of examples) {
      expect(base32Encode(Buffer.from(plain))).toBe(encoded);
      expect(base32Decode(`${encoded.toLowerCase()}==`).toString()).toBe(plain);
    }
    expect(() => base32Decode('MZ1')).toThrow();
  });
});
