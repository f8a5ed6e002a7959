import { Reflector } from '@nestjs/core';
import { SkipThrottle, Throttle } from '@nestjs/throttler';
import { MemoizedReflector } from './orderly-throttler.guard.js';

class Plain {
  read(): void {}
}

@SkipThrottle()
class Skipped {
  read(): void {}
}

class Tuned {
  @Throttle({ default: { limit: 3, ttl: 1_000 } })
  tight(): void {}

  loose(): void {}
}

describe('MemoizedReflector (the throttler guard’s metadata reads)', () => {
  function reflectors() {
    const real = new Reflector();
    const spy = vi.spyOn(real, 'getAllAndOverride');
    return { memoized: new MemoizedReflector(real), spy };
  }

  it('answers like the Reflector for handlers and classes with throttler metadata', () => {
    const real = new Reflector();
    const { memoized } = reflectors();
    const cases: [string, Parameters<Reflector['getAllAndOverride']>[1]][] = [
      ['THROTTLER:SKIPdefault', [Skipped.prototype.read, Skipped]],
      ['THROTTLER:LIMITdefault', [Tuned.prototype.tight, Tuned]],
      ['THROTTLER:TTLdefault', [Tuned.prototype.tight, Tuned]],
      ['THROTTLER:LIMITdefault', [Tuned.prototype.loose, Tuned]],
      ['THROTTLER:SKIPauth', [Plain.prototype.read, Plain]],
    ];
    for (const [key, targets] of cases) {
      expect(memoized.getAllAndOverride(key, targets)).toEqual(real.getAllAndOverride(key, targets));
    }
    expect(memoized.getAllAndOverride('THROTTLER:SKIPdefault', [Skipped.prototype.read, Skipped])).toBe(true);
    expect(memoized.getAllAndOverride('THROTTLER:LIMITdefault', [Tuned.prototype.tight, Tuned])).toBe(3);
  });

  it('reads each key of a handler once, then answers from the memo', () => {
    class Fresh {
      @Throttle({ default: { limit: 7, ttl: 1_000 } })
      read(): void {}
    }
    const { memoized, spy } = reflectors();
    for (let round = 0; round < 3; round++) {
      expect(memoized.getAllAndOverride('THROTTLER:LIMITdefault', [Fresh.prototype.read, Fresh])).toBe(7);
      expect(memoized.getAllAndOverride('THROTTLER:TRACKERdefault', [Fresh.prototype.read, Fresh])).toBeUndefined();
    }
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('does not consult the Reflector at all for a handler without throttler metadata', () => {
    class Fresh {
      read(): void {}
    }
    const { memoized, spy } = reflectors();
    for (const key of ['THROTTLER:SKIPdefault', 'THROTTLER:LIMITdefault', 'THROTTLER:TTLauth']) {
      expect(memoized.getAllAndOverride(key, [Fresh.prototype.read, Fresh])).toBeUndefined();
    }
    expect(spy).not.toHaveBeenCalled();
  });

  it('passes reads it cannot memoize (not a handler and its class) straight through', () => {
    const { memoized, spy } = reflectors();
    expect(memoized.getAllAndOverride('THROTTLER:SKIPdefault', [Skipped])).toBe(true);
    memoized.getAllAndOverride('THROTTLER:SKIPdefault', [Skipped]);
    expect(spy).toHaveBeenCalledTimes(2);
  });
});
