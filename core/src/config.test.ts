import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('fills every default', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, HOST: '0.0.0.0', LOG_LEVEL: 'info', BODY_LIMIT: '1mb', WORKER_ENABLED: true });
    expect(config.DATA_DIR).toBe(path.resolve('.data'));
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('names each bad variable and what it got', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url' })).toThrowError(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url' });
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT: .*\(got "eighty"\)/);
      expect((error as Error).message).toMatch(/DATABASE_URL: .*\(got "not a url"\)/);
    }
  });

  it('reads the plugin list as comma-separated names and treats empty values as unset', () => {
    expect(loadConfig({ PLUGINS: '@soshogle/plugin-crm, @soshogle/plugin-messaging' }).PLUGINS).toEqual([
      '@soshogle/plugin-crm',
      '@soshogle/plugin-messaging',
    ]);
    expect(loadConfig({ PORT: '' }).PORT).toBe(3000);
  });
});
