import { endsSessions, USER_STATUSES } from './user-status.js';

describe('endsSessions', () => {
  it('holds for suspended and deleted accounts only', () => {
    expect(USER_STATUSES.filter(endsSessions)).toEqual(['suspended', 'deleted']);
  });
});
