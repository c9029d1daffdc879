import { inject, injectable } from 'inversify';
import type { CommandSpec, Invocation, Risk } from '../core/command.js';
import type { ApprovalPolicy } from './approval-policy.js';
import { ApprovalSettings } from './approval-settings.js';
import { PolicyBook } from './policy-book.js';

/** Which approval policy, if any, holds an invocation. */
export const ApprovalPolicies = Symbol('ApprovalPolicies');
export interface ApprovalPolicies {
  policyFor(invocation: Invocation, spec: CommandSpec): ApprovalPolicy | undefined;
  effectiveRisk(invocation: Invocation, spec: CommandSpec): Risk;
  /** Policy and risk conditions naming arguments the command does not declare. */
  unknownArguments(spec: CommandSpec): string[];
  /** Roles the policies name that the rbac section does not define. */
  undefinedRoles(): string[];
}

@injectable()
export class ApprovalPoliciesImpl implements ApprovalPolicies {
  private readonly book: PolicyBook;
  private readonly knownRoles: Set<string>;

  constructor(@inject(ApprovalSettings) settings: ApprovalSettings) {
    this.book = new PolicyBook(settings.approvals, settings.channels);
    this.knownRoles = new Set(settings.knownRoles);
  }

  policyFor(invocation: Invocation, spec: CommandSpec): ApprovalPolicy | undefined {
    return this.book.policyFor(targetOf(invocation), spec);
  }

  effectiveRisk(invocation: Invocation, spec: CommandSpec): Risk {
    return this.book.effectiveRisk(targetOf(invocation), spec);
  }

  unknownArguments(spec: CommandSpec): string[] {
    return this.book.unknownArguments(spec);
  }

  undefinedRoles(): string[] {
    return this.book.roles().filter((role) => !this.knownRoles.has(role));
  }
}

function targetOf(invocation: Invocation) {
  return { command: invocation.command, args: invocation.args, platform: invocation.platform, channelId: invocation.channel.id };
}
