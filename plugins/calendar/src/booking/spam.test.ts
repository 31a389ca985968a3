// The form token and the consent record's address prefix (pure: no server needed).
import { generateKey, parseKeyRing, pluginSecrets } from '@soshogle/core/testing';
import { describe, expect, it } from 'vitest';
import { formTokenAge, ipPrefix, issueFormToken, maxFormAgeMs } from './spam.ts';

/** The calendar's ctx.secrets under the keys `keys` (SECRETS_KEYS). */
const signer = (keys: string) => pluginSecrets(parseKeyRing(keys), 'calendar');

describe('form tokens', () => {
  const key = generateKey();
  const secrets = signer(`k1:${key}`);
  it('tells the age of a token issued for this calendar, and refuses others', () => {
    const token = issueFormToken(secrets, 'cal-1', 1_000_000);
    expect(formTokenAge(secrets, 'cal-1', token, 1_003_000)).toBe(3_000);
    expect(formTokenAge(secrets, 'cal-2', token, 1_003_000)).toBeNull();
    expect(formTokenAge(signer(`k1:${generateKey()}`), 'cal-1', token, 1_003_000)).toBeNull();
    expect(formTokenAge(secrets, 'cal-1', token.replace(/^1000000/, '0999000'), 1_003_000)).toBeNull();
    expect(formTokenAge(secrets, 'cal-1', `${token}.x`, 1_003_000)).toBeNull();
    expect(formTokenAge(secrets, 'cal-1', 'nonsense', 1_003_000)).toBeNull();
    expect(formTokenAge(secrets, 'cal-1', token, 1_000_000 + maxFormAgeMs + 1)).toBeNull();
  });
  it('is accepted by every instance with the same keys, and after a rotation that keeps the old key', () => {
    const token = issueFormToken(secrets, 'cal-1', 1_000_000);
    expect(formTokenAge(signer(`k1:${key}`), 'cal-1', token, 1_003_000)).toBe(3_000);
    expect(formTokenAge(signer(`k2:${generateKey()},k1:${key}`), 'cal-1', token, 1_003_000)).toBe(3_000);
  });
});

describe('ipPrefix', () => {
  it('keeps the /24 of IPv4 and the /48 of IPv6, nothing of anything else', () => {
    expect(ipPrefix('203.0.113.77')).toBe('203.0.113.0/24');
    expect(ipPrefix('::ffff:203.0.113.77')).toBe('203.0.113.0/24');
    expect(ipPrefix('2001:db8:85a3::8a2e:370:7334')).toBe('2001:db8:85a3::/48');
    expect(ipPrefix('2001:0db8::1')).toBe('2001:db8:0::/48');
    expect(ipPrefix('::1')).toBe('0:0:0::/48');
    expect(ipPrefix('not an ip')).toBeNull();
  });
});
