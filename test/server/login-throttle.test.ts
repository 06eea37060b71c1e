import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../src/server/core/login-throttle.js';

describe('login throttle', () => {
  it('an account waits 1, 2, 4 … base delays after each failure, up to the lock-out; a success clears it', () => {
    let now = 0;
    const t = new LoginThrottle(1000, 5000, () => now);
    expect(t.waitMs('bob', '10.0.0.1')).toBe(0);
    t.failed('bob', '10.0.0.1');
    expect(t.waitMs('bob', '10.0.0.9')).toBe(1000);
    now = 1000;
    t.failed('bob', '10.0.0.2');
    expect(t.waitMs('bob', '10.0.0.9')).toBe(2000);
    for (let i = 0; i < 5; i++) t.failed('bob', `10.0.1.${i}`);
    expect(t.waitMs('bob', '10.0.0.9')).toBe(5000); // the lock-out window caps it
    t.succeeded('bob');
    expect(t.waitMs('bob', '10.0.0.9')).toBe(0);
  });

  it('an address gets five free failures (many people may share it), then waits as an account does', () => {
    let now = 0;
    const t = new LoginThrottle(1000, 60_000, () => now);
    for (let i = 0; i < 5; i++) t.failed(`user${i}`, '192.0.2.7');
    expect(t.waitMs('someone-else', '192.0.2.7')).toBe(0);
    t.failed('user5', '192.0.2.7');
    expect(t.waitMs('someone-else', '192.0.2.7')).toBe(1000);
    now = 1000;
    expect(t.waitMs('someone-else', '192.0.2.7')).toBe(0);
  });
});
