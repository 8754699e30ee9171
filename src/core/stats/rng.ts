/**
 * A source of uniform doubles in [0, 1). Everything random in this module takes one of these
 * so that results are reproducible from a seed; nothing here touches Math.random.
 */
export type Rng = () => number;

/**
 * Mulberry32 (Tommy Ettinger): 32-bit state, period 2^32. Plenty for bootstrap resampling,
 * and small enough to re-implement in any language when a result must be reproduced elsewhere.
 */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  // min() guards the (theoretical) case of an Rng that returns exactly 1.
  return Math.min(n - 1, Math.floor(rng() * n));
}

/**
 * Standard normal draws by the Box–Muller transform. The second variate of each pair is kept
 * for the next call, so consecutive calls consume one uniform pair per two normals.
 */
export function normalSampler(rng: Rng): () => number {
  let spare = Number.NaN;
  return () => {
    if (!Number.isNaN(spare)) {
      const z = spare;
      spare = Number.NaN;
      return z;
    }
    // 1 - u keeps the log argument in (0, 1], so log never sees 0.
    const radius = Math.sqrt(-2 * Math.log(1 - rng()));
    const angle = 2 * Math.PI * rng();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}
