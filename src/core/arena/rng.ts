function fmix32(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * A uniform double in [0, 1) drawn from (seed, a, b) with no state (murmur3's finaliser, chained). Agents draw
 * by bar index, so a resumed run draws exactly what an uninterrupted one would and there is no RNG state to lose.
 */
export function hashUniform(seed: number, a: number, b = 0): number {
  const h = fmix32(fmix32(fmix32(seed ^ 0x9e3779b9) ^ (a | 0)) ^ (b | 0));
  return h / 4294967296;
}
