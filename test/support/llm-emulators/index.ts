export { type AnthropicEmulatorOptions, anthropicDialect, startAnthropicEmulator } from './anthropic.js';
export { type OpenAiEmulatorOptions, openAiDialect, startOpenAiEmulator } from './openai.js';
export { type Dialect, LlmEmulator, type ReceivedRequest, type Reply, type Script, tokens } from './server.js';
