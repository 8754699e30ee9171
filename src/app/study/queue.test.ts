import { describe, expect, it } from 'vitest';
import { expireSeconds } from './queue.js';

describe('ARBITER_STUDY_EXPIRE_SECONDS', () => {
  it('defaults to 900 and takes whole seconds from 1 to 86400', () => {
    expect(expireSeconds({})).toBe(900);
    expect(expireSeconds({ ARBITER_STUDY_EXPIRE_SECONDS: '3' })).toBe(3);
    expect(expireSeconds({ ARBITER_STUDY_EXPIRE_SECONDS: '86400' })).toBe(86_400);
  });

  it('refuses anything else, naming the variable and what it accepts', () => {
    for (const bad of ['0', '1.5', 'soon', '86401', '-3'])
      expect(() => expireSeconds({ ARBITER_STUDY_EXPIRE_SECONDS: bad })).toThrow(
        /ARBITER_STUDY_EXPIRE_SECONDS must be a whole number of seconds from 1 to 86400/,
      );
  });
});
