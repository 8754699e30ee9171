/**
 * An OpenAI-compatible emulator in its own process for bench/llm-arena.bench.ts (so the benchmark's CPU figures are
 * the arena's alone). Answers every request after LLM_DELAY_MS (default 200); prints its URL; exits with stdin.
 */
import { startOpenAiEmulator } from '../test/support/llm-emulators/index.js';

const DELAY = Number(process.env.LLM_DELAY_MS ?? 200);
const answer = (d: Record<string, unknown>) => ({ text: JSON.stringify(d) });

const emu = await startOpenAiEmulator({ key: 'sk-bench', models: ['bench-model'] }, (req) => {
  const bar = Number(/Bar (\d+) of/.exec(JSON.stringify(req.body))?.[1] ?? 0);
  const reply =
    bar % 10 === 1
      ? answer({ action: 'buy', symbol: 'BTC/USDT:USDT', size: 500, leverage: 2, confidence: 0.6, reason: 'enter' })
      : bar % 10 === 6
        ? answer({ action: 'close', symbol: 'BTC/USDT:USDT', confidence: 0.6, reason: 'exit' })
        : answer({ action: 'hold', confidence: 0.5, reason: 'wait' });
  return { delayMs: DELAY, reply };
});
process.stdout.write(`${emu.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => void emu.close().then(() => process.exit(0)));
