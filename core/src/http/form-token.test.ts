// The public forms' token and the consent record's address prefix (pure: no server needed).
import { describe, expect, it } from 'vitest';
import { generateKey, parseKeyRing, pluginSecrets } from '../secrets.ts';
import { formTokenAge, ipPrefix, issueFormToken } from './form-token.ts';

/** A plugin's ctx.secrets under the keys `keys` (SECRETS_KEYS). */
const signer = (keys: string, plugin = 'calendar') => pluginSecrets(parseKeyRing(keys), plugin);
const maxAgeMs = 12 * 3_600_000;

describe('form tokens', () => {
  const key = generateKey();
  const secrets = signer(`k1:${key}`);
  const age = (s: typeof secrets, subject: string, token: string, now: number, purpose?: string) => formTokenAge(s, subject, token, { now, maxAgeMs, purpose });
  it('tells the age of a token issued for this subject, and refuses others', () => {
    const token = issueFormToken(secrets, 'cal-1', { now: 1_000_000 });
    expect(age(secrets, 'cal-1', token, 1_003_000)).toBe(3_000);
    expect(age(secrets, 'cal-2', token, 1_003_000)).toBeNull();
    expect(age(signer(`k1:${generateKey()}`), 'cal-1', token, 1_003_000)).toBeNull();
    expect(age(secrets, 'cal-1', token.replace(/^1000000/, '0999000'), 1_003_000)).toBeNull();
    expect(age(secrets, 'cal-1', `${token}.x`, 1_003_000)).toBeNull();
    expect(age(secrets, 'cal-1', 'nonsense', 1_003_000)).toBeNull();
    expect(age(secrets, 'cal-1', token, 1_000_000 + maxAgeMs + 1)).toBeNull();
  });
  it('is bound to its purpose and to the plugin that issued it', () => {
    const token = issueFormToken(secrets, 'x', { now: 1_000_000, purpose: 'booking-form-token' });
    expect(age(secrets, 'x', token, 1_003_000, 'booking-form-token')).toBe(3_000);
    expect(age(secrets, 'x', token, 1_003_000)).toBeNull();
    expect(age(signer(`k1:${key}`, 'forms'), 'x', token, 1_003_000, 'booking-form-token')).toBeNull();
  });
  it('is accepted by every instance with the same keys, and after a rotation that keeps the old key', () => {
    const token = issueFormToken(secrets, 'cal-1', { now: 1_000_000 });
    expect(age(signer(`k1:${key}`), 'cal-1', token, 1_003_000)).toBe(3_000);
    expect(age(signer(`k2:${generateKey()},k1:${key}`), 'cal-1', token, 1_003_000)).toBe(3_000);
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
