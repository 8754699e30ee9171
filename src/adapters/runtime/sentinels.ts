// The HALT sentinels live in halt-files.ts (any kind of path halts; bodies carry Vibe-Trading's fields); the
// trade counter and its lock in trade-counter.ts.
export { fileHalts, removeHaltFile, writeHaltFile } from './halt-files.js';
