import { describe, expect, it } from 'vitest';
import { commandLineOf, type SlashOption } from '../../../adapters/discord/command-line.js';
import { buildSlashCommands, planFittingCommands, planSlashCommands } from '../../../adapters/discord/slash-commands.js';
import type { CommandSpec } from '../../../src/core/command.js';

const spec = (name: string, args: CommandSpec['args'], description = `${name} things`): CommandSpec => ({ name, description, args, permission: 'x', risk: 'low' });
const DEPLOY = spec('deploy', [
  { name: 'service', type: 'string', required: true, description: 'the service' },
  { name: 'env', type: 'enum', values: ['staging', 'prod'], required: true },
  { name: 'replicas', type: 'int', default: 2 },
  { name: 'note', type: 'rest' },
  { name: 'ref', type: 'string', flag: true, default: 'main' },
  { name: 'force', type: 'bool', flag: true, required: true },
  { name: 'notify', type: 'user', flag: true },
  { name: 'where', type: 'channel', flag: true },
  { name: 'ratio', type: 'number', flag: true },
]);

describe('buildSlashCommands', () => {
  it('types every option from the argument schema, required ones first, enums as choices', () => {
    const [deploy] = buildSlashCommands([DEPLOY]);
    expect(deploy).toMatchObject({ name: 'deploy', type: 1, description: 'deploy things', contexts: [0, 1] });
    expect(deploy?.options?.map((o) => [o.name, o.type, o.required])).toEqual([
      ['service', 3, true], ['env', 3, true], ['force', 5, true], ['replicas', 4, false], ['note', 3, false],
      ['ref', 3, false], ['notify', 6, false], ['where', 7, false], ['ratio', 10, false],
    ]);
    expect(deploy?.options?.[1]).toMatchObject({ choices: [{ name: 'staging', value: 'staging' }, { name: 'prod', value: 'prod' }] });
    expect(deploy?.options?.[3]?.description).toBe('a whole number (default 2)');
  });

  it('makes two-word commands subcommands, the plain command becoming "run" beside them', () => {
    const plan = planSlashCommands([DEPLOY, spec('deploy status', []), spec('ping', [])]);
    expect(plan.bodies.map((b) => [b.name, b.options?.map((o) => [o.name, o.type])])).toEqual([
      ['deploy', [['run', 1], ['status', 1]]], ['ping', []],
    ]);
    expect([...plan.routes.keys()]).toEqual(['deploy run', 'deploy status', 'ping']);
  });

  it('cuts descriptions to Discord\'s 100 characters', () => {
    const [long] = buildSlashCommands([spec('long', [{ name: 'a', type: 'string', description: 'y'.repeat(150) }], 'x'.repeat(150))]);
    expect(long?.description).toHaveLength(100);
    expect(long?.options?.[0]?.description).toHaveLength(100);
  });

  it('refuses commands Discord cannot take, naming every problem', () => {
    expect(() => buildSlashCommands([spec('Deploy Now Please', []), spec('x'.repeat(40), []), spec('ok', [{ name: 'A', type: 'string' }, { name: 'a', type: 'int' }])]))
      .toThrow(/at most two words.*"x{40}" cannot be a Discord command name.*arguments a differ only in case/);
  });
});

describe('planFittingCommands', () => {
  it('plans every command Discord can take and names the ones it cannot, with why', () => {
    const plan = planFittingCommands([spec('ping', []), spec('deploy now please', []), DEPLOY, spec('deploy run', []), spec('deploy status', [])]);
    expect(plan.bodies.map((b) => b.name)).toEqual(['ping', 'deploy']);
    expect([...plan.routes.keys()]).toEqual(['ping', 'deploy run', 'deploy status']);
    expect(plan.routes.get('deploy run')).toBe(DEPLOY);
    expect(plan.omitted).toEqual([
      { command: 'deploy now please', reason: 'deploy now please: a slash command has at most two words (a command and a subcommand)' },
      { command: 'deploy run', reason: 'deploy: "deploy run" is taken, so "deploy" cannot become its subcommand next to the other "deploy ..." commands' },
    ]);
  });

  it('omits nothing when the whole list fits', () => {
    expect(planFittingCommands([DEPLOY, spec('ping', [])]).omitted).toEqual([]);
  });
});

describe('commandLineOf', () => {
  const { routes } = planSlashCommands([DEPLOY, spec('deploy status', [{ name: 'service', type: 'string' }])]);
  const option = (name: string, type: number, value: string | number | boolean): SlashOption => ({ name, type, value });

  it('writes positionals in the command\'s order and flags by name, quoting where needed', () => {
    const line = commandLineOf('deploy', [{
      name: 'run', type: 1, options: [
        option('force', 5, false), option('env', 3, 'prod'), option('service', 3, 'web app'), option('notify', 6, '123'),
        option('where', 7, '456'), option('ref', 3, '--weird "ref"'), option('ratio', 10, 0.5),
      ],
    }], routes);
    expect(line).toBe('deploy "web app" prod --ref "--weird \\"ref\\"" --no-force --notify <@123> --where <#456> --ratio 0.5');
  });

  it('fills a skipped optional positional with its default so later ones keep their place, and keeps rest text whole', () => {
    const line = commandLineOf('deploy', [{ name: 'run', type: 1, options: [option('service', 3, 'web'), option('env', 3, 'prod'), option('note', 3, 'ship it "now"')] }], routes);
    expect(line).toBe('deploy web prod 2 "ship it \\"now\\""');
  });

  it('reads a subcommand as the second word, and an unknown command as its values in order', () => {
    expect(commandLineOf('deploy', [{ name: 'status', type: 1, options: [option('service', 3, 'api')] }], routes)).toBe('deploy status api');
    expect(commandLineOf('other', [option('b', 3, 'two words'), option('a', 4, 1)], routes)).toBe('other "two words" 1');
  });
});
