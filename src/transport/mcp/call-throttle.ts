/** One agent's call times in a window: `times[head..]` are the last minute's, `times[sec..]` the last second's. */
interface Window {
  times: number[];
  head: number;
  sec: number;
}

/**
 * Per-agent sliding-window limit on MCP tool calls (separate from the firewall's order throttle). Each call is
 * O(1) amortised: two cursors move forward over the agent's sorted call times instead of filtering the window.
 */
export class CallThrottle {
  private readonly calls = new Map<string, Window>();
  constructor(
    private readonly perSecond: number,
    private readonly perMinute: number,
  ) {}

  /** Records a call; returns a reason when the agent is over its budget. */
  take(agentId: string, now: number): string | null {
    let w = this.calls.get(agentId);
    if (!w) {
      w = { times: [], head: 0, sec: 0 };
      this.calls.set(agentId, w);
    }
    const times = w.times;
    // A clock that steps back is treated as standing still, so the times stay sorted (and counted no shorter).
    const t = times.length > 0 ? Math.max(now, times[times.length - 1]!) : now;
    while (w.head < times.length && times[w.head]! <= t - 60_000) w.head += 1;
    if (w.sec < w.head) w.sec = w.head;
    while (w.sec < times.length && times[w.sec]! <= t - 1_000) w.sec += 1;
    if (times.length - w.sec >= this.perSecond) return `THROTTLE_MCP_CALLS: per_second=${this.perSecond}`;
    if (times.length - w.head >= this.perMinute) return `THROTTLE_MCP_CALLS: per_minute=${this.perMinute}`;
    times.push(t);
    // Drop expired times once they are most of the array (amortised O(1)).
    if (w.head >= 1_024 && w.head * 2 >= times.length) {
      times.splice(0, w.head);
      w.sec -= w.head;
      w.head = 0;
    }
    return null;
  }
}
