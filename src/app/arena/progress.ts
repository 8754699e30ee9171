/**
 * Progress of a long run on stderr: a redrawn bar when stderr is a terminal, otherwise a plain line every 10%.
 * Wall time appears here only, never in a run's files.
 */
export class Progress {
  private readonly started = performance.now();
  private lastDraw = 0;
  private lastDecile = -1;

  constructor(
    private readonly total: number,
    private readonly stepsPerUnit: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly label = 'bars',
  ) {}

  private line(done: number): string {
    const secs = (performance.now() - this.started) / 1000;
    const rate = secs > 0 ? (done * this.stepsPerUnit) / secs : 0;
    const eta = done > 0 ? (secs * (this.total - done)) / done : 0;
    const pct = this.total > 0 ? (100 * done) / this.total : 100;
    const k = rate >= 1000 ? `${(rate / 1000).toFixed(1)}k` : rate.toFixed(0);
    return `${pct.toFixed(1).padStart(5)}% ${done}/${this.total} ${this.label} · ${k} agent-steps/s · eta ${eta.toFixed(0)}s`;
  }

  tick(done: number): void {
    if (this.stream.isTTY) {
      const now = performance.now();
      if (now - this.lastDraw < 100 && done < this.total) return;
      this.lastDraw = now;
      const width = 30;
      const filled = Math.round((width * done) / Math.max(1, this.total));
      this.stream.write(`\r[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${this.line(done)}`);
      return;
    }
    const decile = Math.floor((10 * done) / Math.max(1, this.total));
    if (decile === this.lastDecile) return;
    this.lastDecile = decile;
    this.stream.write(`arena: ${this.line(done)}\n`);
  }

  end(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
