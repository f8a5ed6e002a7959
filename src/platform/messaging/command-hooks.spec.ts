import { CommandHooks } from './command-hooks.js';

describe('CommandHooks', () => {
  it('calls execute directly when no hook is registered', async () => {
    const hooks = new CommandHooks();
    await expect(hooks.around({}, () => Promise.resolve(42))).resolves.toBe(42);
  });

  it('runs hooks around execute, the first registered outermost, each seeing the command and the result', async () => {
    const hooks = new CommandHooks();
    const trail: string[] = [];
    const command = { name: 'place' };
    hooks.add(async (seen, next) => {
      trail.push(`outer before ${(seen as typeof command).name}`);
      const result = await next();
      trail.push(`outer after ${String(result)}`);
      return result;
    });
    hooks.add(async (_seen, next) => {
      trail.push('inner before');
      return `${String(await next())}!`;
    });
    const result = await hooks.around(command, async () => {
      trail.push('execute');
      return 'done';
    });
    expect(result).toBe('done!');
    expect(trail).toEqual(['outer before place', 'inner before', 'execute', 'outer after done!']);
  });
});
