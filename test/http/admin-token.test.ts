import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RuntimeLayout } from '../../src/adapters/runtime/layout.js';
import { loadAdminTokenHash } from '../../src/app/admin-token.js';
import { tokenHash } from '../../src/transport/http/auth.js';

describe('the admin token of arbiter serve', () => {
  const homes: string[] = [];
  const layout = () => {
    const home = mkdtempSync(join(tmpdir(), 'arbiter-admin-'));
    homes.push(home);
    return new RuntimeLayout(home);
  };
  afterEach(() => {
    for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
    vi.restoreAllMocks();
  });

  it('is generated on first serve into keys/admin.token (0600), printed once, and only its hash is returned', () => {
    const l = layout();
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const first = loadAdminTokenHash(l, {});
    const path = join(l.keysDir(), 'admin.token');
    const token = readFileSync(path, 'utf8').trim();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(first).toBe(tokenHash(token));
    expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toContain(token);
    stderr.mockClear();
    expect(loadAdminTokenHash(l, {})).toBe(first);
    expect(stderr, 'shown once').not.toHaveBeenCalled();
  });

  it('takes ARBITER_ADMIN_TOKEN as the token itself, and refuses a short one', () => {
    const token = 'x'.repeat(40);
    expect(loadAdminTokenHash(layout(), { ARBITER_ADMIN_TOKEN: token })).toBe(tokenHash(token));
    expect(() => loadAdminTokenHash(layout(), { ARBITER_ADMIN_TOKEN: 'short' })).toThrow(/at least 32 characters/);
  });

  it('refuses a token file that others can read', () => {
    const l = layout();
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    loadAdminTokenHash(l, {});
    chmodSync(join(l.keysDir(), 'admin.token'), 0o644);
    expect(() => loadAdminTokenHash(l, {})).toThrow(/KEY_FILE_INSECURE/);
  });
});
