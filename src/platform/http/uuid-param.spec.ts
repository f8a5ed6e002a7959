import { ValidationFailedError } from '../../shared/domain/domain-error.js';
import { UuidParam } from './uuid-param.js';

describe('UuidParam', () => {
  const pipe = new UuidParam();

  it('passes a UUID through, lower-cased', () => {
    expect(pipe.transform('01A22F7B-7BEA-730E-9DFC-B6A9A0F18D44')).toBe('01a22f7b-7bea-730e-9dfc-b6a9a0f18d44');
  });

  it('refuses anything else as a validation error on its field', () => {
    for (const value of ['', 'not-a-uuid', '01a22f7b7bea730e9dfcb6a9a0f18d44', "1' OR '1'='1", undefined, 42]) {
      expect(() => pipe.transform(value)).toThrow(ValidationFailedError);
    }
    expect(() => UuidParam.named('userId').transform('x')).toThrow(
      expect.objectContaining({ violations: [{ field: 'userId', message: 'must be a UUID' }] }) as Error,
    );
  });
});
