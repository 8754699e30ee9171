/** Per-agent sliding-window limit on MCP tool calls (separate from the firewall's order throttle). */
export class CallThrottle {
  private readonly calls = new Map<string, number[]>();
  constructor(
    private readonly perSecond: number,
    private readonly perMinute: number,
  ) {}

  /** Records a call; returns a reason when the agent is over its budget. */
  take(agentId: string, now: number): string | null {
    const list = (this.calls.get(agentId) ?? []).filter((t) => t > now - 60_000);
    const lastSecond = list.filter((t) => t > now - 1_000).length;
    if (lastSecond >= this.perSecond) return `THROTTLE_MCP_CALLS: per_second=${this.perSecond}`;
    if (list.length >= this.perMinute) return `THROTTLE_MCP_CALLS: per_minute=${this.perMinute}`;
    list.push(now);
    this.calls.set(agentId, list);
    return null;
  }
}
