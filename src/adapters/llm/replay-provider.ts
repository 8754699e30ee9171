import { ModelError, type ModelFailureKind } from '../../core/llm/errors.js';
import type { ModelAnswer, ModelExchange, ModelProvider, ModelRequest } from '../../ports/model.js';

/** One recorded exchange as the replay reads it back. */
export type RecordedExchange = Pick<ModelExchange, 'agent' | 'request' | 'response' | 'error'>;

const canonical = (r: ModelRequest) =>
  JSON.stringify([
    r.model,
    r.system,
    r.user,
    r.temperature ?? null,
    r.max_tokens,
    r.seed ?? null,
    r.tools ?? null,
    r.turns ?? null,
  ]);

/**
 * A model that answers from one agent's recordings, in order, with no network: each request must be the one
 * recorded (same prompt, same settings), else the replay has drifted from the run and says where.
 */
export class ReplayProvider implements ModelProvider {
  readonly kind = 'replay';
  readonly problems: string[] = [];
  private next = 0;

  constructor(
    readonly agent: string,
    private readonly exchanges: readonly RecordedExchange[],
  ) {}

  /** Recordings the replay did not use (a replay that used fewer calls than the run drifted too). */
  get unused(): number {
    return this.exchanges.length - this.next;
  }

  async complete(req: ModelRequest): Promise<ModelAnswer> {
    const i = this.next++;
    const rec = this.exchanges[i];
    if (!rec) {
      const p = `REPLAY_MISMATCH: agent ${this.agent} made call ${i + 1} but the run recorded ${this.exchanges.length}`;
      this.problems.push(p);
      throw new Error(p);
    }
    if (canonical(rec.request) !== canonical(req)) {
      const p = `REPLAY_MISMATCH: agent ${this.agent} call ${i + 1} asks something other than the recorded request`;
      this.problems.push(p);
      throw new Error(p);
    }
    if (rec.response) return rec.response;
    const e = rec.error!;
    const body = e.message.replace(/^MODEL_[A-Z_]+: /, '');
    throw new ModelError(e.kind as ModelFailureKind, body, e.status, 0, e.sent);
  }
}
