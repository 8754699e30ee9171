import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

const BROKER = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** The Vibe-Trading runtime-root layout under ARBITER_HOME (default ~/.arbiter), plus Arbiter's own files. */
export class RuntimeLayout {
  readonly root: string;

  constructor(root?: string) {
    this.root = resolve(root ?? process.env.ARBITER_HOME ?? join(homedir(), '.arbiter'));
  }

  static broker(name: string): string {
    const b = name.trim().toLowerCase();
    if (!BROKER.test(b)) throw new Error(`broker name ${JSON.stringify(name)} must match ${BROKER.source}`);
    return b;
  }

  get live(): string {
    return join(this.root, 'live');
  }
  /** Per-broker directories are asked for on every verdict (halt, counter, mandate): each is built once. */
  private readonly brokerDirs = new Map<string, string>();
  brokerDir(broker: string): string {
    let dir = this.brokerDirs.get(broker);
    if (dir === undefined) {
      dir = join(this.live, RuntimeLayout.broker(broker));
      if (this.brokerDirs.size < 256) this.brokerDirs.set(broker, dir);
    }
    return dir;
  }
  mandate(broker: string): string {
    return join(this.brokerDir(broker), 'mandate.json');
  }
  globalHalt(): string {
    return join(this.live, 'HALT');
  }
  brokerHalt(broker: string): string {
    return join(this.brokerDir(broker), 'HALT');
  }
  tradeCounter(broker: string): string {
    return join(this.brokerDir(broker), 'trade_counter.json');
  }
  audit(): string {
    return join(this.live, 'audit.jsonl');
  }
  database(): string {
    return join(this.root, 'arbiter.db');
  }
  keysDir(): string {
    return join(this.root, 'keys');
  }
  issuerKey(): string {
    return join(this.keysDir(), 'issuer.key');
  }
  issuerPub(): string {
    return join(this.keysDir(), 'issuer.pub');
  }
  checkpointFile(): string {
    return join(this.root, 'ledger-checkpoint.json');
  }
}
