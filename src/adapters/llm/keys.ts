import { z } from 'zod';
import { CredentialsError, readSecretsJson } from '../venues/ccxt/credentials.js';

const ModelKeys = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().min(1));

/**
 * A model key by the name a roster gives it (`api_key_env`): the environment first, then the secrets file's
 * `models` section (`{"models": {"OPENAI_API_KEY": "sk-…"}}`, the file 0600). The file is read only when the
 * environment lacks the key. Null when neither has it; errors name the file and the section, never a value.
 */
export function modelKey(
  name: string,
  env: Readonly<Record<string, string | undefined>>,
  secretsFile: string | null,
): string | null {
  const fromEnv = env[name];
  if (fromEnv) return fromEnv;
  if (!secretsFile) return null;
  const r = ModelKeys.safeParse(readSecretsJson(secretsFile).models ?? {});
  if (!r.success)
    throw new CredentialsError(
      'SECRETS_FILE_INVALID',
      `secrets file ${secretsFile}: models must map variable names to non-empty keys (${r.error.issues.map((i) => `models.${i.path.join('.')}`).join(', ')})`,
    );
  return r.data[name] ?? null;
}
