export { AnthropicProvider } from './anthropic-provider.js';
export { maskKey, toModelError } from './errors.js';
export { modelKey } from './keys.js';
export { OpenAiCompatibleProvider } from './openai-provider.js';
export { type RecordedExchange, ReplayProvider } from './replay-provider.js';
