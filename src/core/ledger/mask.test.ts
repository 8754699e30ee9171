import { describe, expect, it } from 'vitest';
import { maskedRecord } from './mask.js';

const record = (body: string) => ({ seq: 1, ts: 0, kind: 'halt', ref: 'global', body, prev_hash: '0', hash: 'h' });

describe('maskedRecord', () => {
  it('returns an ordinary record unchanged (same object: nothing copied on the common path)', () => {
    const r = record('{"reason":"manual halt"}');
    expect(maskedRecord(r)).toBe(r);
  });

  it('masks a credential in the stored text and says so', () => {
    const m = maskedRecord(record('{"reason":"leaked sk-proj-AbCdEfGh12345678"}'));
    expect(m.body).toBe('{"reason":"leaked [redacted]"}');
    expect(m).toMatchObject({ redacted: true, hash: 'h' });
  });
});

describe('maskedRecord on a body with credential-like key names', () => {
  it('keeps the body valid JSON and leaves it as it is when nothing is credential-shaped', () => {
    const body = '{"token":true,"api_key":3,"note":"fine"}';
    expect(maskedRecord(record(body)).body).toBe(body);
  });
});
