import { describe, expect, it } from 'vitest';
import { McpSessions, type SessionHandle } from './mcp-sessions.js';

class Fake implements SessionHandle {
  closed = false;
  constructor(readonly agentId: string) {}
  async close(): Promise<void> {
    this.closed = true;
  }
}

function registry(perAgent: number, idleMs = 1_000) {
  let t = 0;
  const r = new McpSessions<Fake>({ idleMs, perAgent }, () => t);
  const at = (ms: number): void => {
    t = ms;
  };
  return { r, at };
}

describe('McpSessions', () => {
  it("at an agent's limit, a new session closes its least recently used idle one, never another agent's", async () => {
    const { r, at } = registry(2);
    const a1 = new Fake('a');
    const a2 = new Fake('a');
    const b1 = new Fake('b');
    r.add('a1', a1);
    at(10);
    r.add('a2', a2);
    r.add('b1', b1);
    at(20);
    r.begin('a1')(); // a1 used again: a2 is now the least recently used
    expect(r.admit('a')).toEqual({ ok: true });
    expect([a1.closed, a2.closed, b1.closed]).toEqual([false, true, false]);
    expect(r.get('a2')).toBeUndefined();
    expect(r.admit('b')).toEqual({ ok: true });
    await r.closeAll();
  });

  it('refuses a new session with a reason when every one of the agent is answering a request', async () => {
    const { r } = registry(2);
    r.add('a1', new Fake('a'));
    r.add('a2', new Fake('a'));
    const done1 = r.begin('a1');
    const done2 = r.begin('a2');
    const refused = r.admit('a');
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reason).toMatch(/^TOO_MANY_SESSIONS: agent=a open=2 max=2/);
    done1();
    expect(r.admit('a').ok).toBe(true);
    done2();
    await r.closeAll();
  });

  it('closes sessions idle for idleMs and keeps busy or recently used ones', async () => {
    const { r, at } = registry(10, 1_000);
    const idle = new Fake('a');
    const busy = new Fake('a');
    const recent = new Fake('a');
    r.add('idle', idle);
    r.add('busy', busy);
    r.add('recent', recent);
    r.begin('busy');
    at(900);
    r.touch('recent');
    at(1_000);
    expect(r.sweep()).toBe(1);
    expect([idle.closed, busy.closed, recent.closed]).toEqual([true, false, false]);
    expect(r.size).toBe(2);
    await r.closeAll();
    expect(busy.closed && recent.closed).toBe(true);
  });
});
