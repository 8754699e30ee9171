/** FNV-1a over a string: a stable 32-bit seed for per-symbol, per-bar synthesis (same input, same number). */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
