import { describe, expect, it } from 'vitest';
import { RoleModel } from '../../../src/rbac/role-model.js';
import type { RbacSettings } from '../../../src/rbac/rbac-settings.js';

const at = new Date('2025-03-01T09:00:00Z');
const settings: RbacSettings = {
  roles: { operator: { permissions: ['*'] }, viewer: { permissions: ['use:status'] }, approver: { permissions: ['approve'] } },
  bindings: [
    { principal: 'local:user:alice', roles: ['operator', 'viewer'] },
    { group: 'discord:role:7', roles: ['approver'] },
  ],
};

describe('RoleModel', () => {
  const model = new RoleModel(settings, {
    roleChanges: [
      { principal: 'local:user:alice', role: 'operator', state: 'revoked', by: 'local:user:bob', at },
      { principal: 'local:user:carol', role: 'viewer', state: 'granted', by: 'system', at },
      { principal: 'local:user:carol', role: 'retired', state: 'granted', by: 'system', at },
    ],
    links: [{ a: 'discord:user:3', b: 'local:user:carol', by: 'discord:user:3', at }],
  });

  it('lays stored grants and revocations over the configuration bindings', () => {
    expect(model.directHoldings('local:user:alice')).toEqual([{ role: 'viewer', source: 'config' }]);
    expect(model.hiddenBindings('local:user:alice').map((c) => c.role)).toEqual(['operator']);
    expect(model.directHoldings('local:user:carol').map((h) => [h.role, h.source])).toEqual([['retired', 'granted'], ['viewer', 'granted']]);
  });

  it('ignores roles the configuration no longer defines, and adds the roles of platform groups and links', () => {
    expect(model.rolesOf({ id: 'local:user:carol', groups: [] })).toEqual(['viewer']);
    expect(model.rolesOf({ id: 'discord:user:3', groups: ['discord:role:7'] })).toEqual(['approver', 'viewer']);
    expect(model.rolesOf({ id: 'discord:user:4', groups: [] })).toEqual([]);
  });

  it('shows the effect of a change without changing itself', () => {
    const regranted = model.withChange({ principal: 'local:user:alice', role: 'operator', state: 'granted', by: 'system', at });
    expect(regranted.rolesOf({ id: 'local:user:alice', groups: [] })).toEqual(['operator', 'viewer']);
    expect(model.rolesOf({ id: 'local:user:alice', groups: [] })).toEqual(['viewer']);
    expect(model.withLinks([]).rolesOf({ id: 'discord:user:3', groups: [] })).toEqual([]);
  });

  it('lists every principal with a role or a link', () => {
    expect(model.principals()).toEqual(['discord:user:3', 'local:user:alice', 'local:user:carol']);
    expect(model.identitiesOf('discord:user:3')).toEqual(['discord:user:3', 'local:user:carol']);
  });
});
