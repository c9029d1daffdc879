#!/usr/bin/env node
// opsroom's demo runbook: a stand-in for the scripts a team would really run (systemctl, a job scheduler, useradd,
// a migration tool), so the bundled plugins work out of the box. It keeps its whole world in ./data/demo-ops.json
// (relative to the working folder), prints one short human-readable result and exits 0, or prints the problem to
// stderr and exits 2 for bad input and 1 for a refused action. No dependencies: Node's standard library only.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const STATE_FILE = resolve('data', 'demo-ops.json');
// A batch job completes this many seconds after it starts; DEMO_OPS_JOB_SECONDS changes it (tests use 1).
const JOB_SECONDS = jobSeconds(process.env.DEMO_OPS_JOB_SECONDS);
const LOG_KEEP = 500;
const MAX_TAIL = 1000;
const NAME = /^[a-z][a-z0-9-]{0,39}$/;
const USER_NAME = /^[a-z][a-z0-9._-]{0,31}$/;

/** Every migration the demo database knows; the state records how many of them were applied. */
const MIGRATIONS = [
  '0001-create-accounts',
  '0002-add-account-email',
  '0003-create-orders',
  '0004-index-orders-by-account',
  '0005-add-order-status',
];

class UsageError extends Error {}
class RefusedError extends Error {}

function jobSeconds(raw) {
  if (raw === undefined || raw === '') return 5;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 3600) {
    process.stderr.write(`demo-ops: DEMO_OPS_JOB_SECONDS must be a whole number from 0 to 3600 (got ${JSON.stringify(raw)})\n`);
    process.exit(2);
  }
  return seconds;
}

function now() {
  return new Date();
}

function initialState() {
  const at = now().toISOString();
  return {
    services: { opsroom: { restarts: 0 }, web: { restarts: 0 }, worker: { restarts: 0 } },
    jobs: {},
    users: ['alice', 'bob'],
    schema: { version: 3, migrations: MIGRATIONS.slice(0, 3).map((name) => ({ name, appliedAt: at })) },
    log: [`${at} demo-ops: state created with services opsroom, web, worker`],
  };
}

function loadState() {
  let text;
  try {
    text = readFileSync(STATE_FILE, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') return initialState();
    throw new RefusedError(`cannot read ${STATE_FILE}: ${error.message}`);
  }
  try {
    const state = JSON.parse(text);
    if (typeof state !== 'object' || state === null || typeof state.services !== 'object' || !Array.isArray(state.users)) {
      throw new Error('it is not a demo-ops state');
    }
    return state;
  } catch (error) {
    throw new RefusedError(`${STATE_FILE} is damaged (${error.message}); delete it to start the demo afresh`);
  }
}

/** Written whole to a temporary file and renamed, so a reader never sees half a state. */
function saveState(state) {
  mkdirSync(dirname(STATE_FILE), { recursive: true });
  const temporary = `${STATE_FILE}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, STATE_FILE);
}

function record(state, message) {
  state.log.push(`${now().toISOString()} ${message}`);
  if (state.log.length > LOG_KEEP) state.log.splice(0, state.log.length - LOG_KEEP);
}

function expectName(value, what, pattern = NAME) {
  if (value === undefined) throw new UsageError(`missing ${what}`);
  if (!pattern.test(value)) throw new UsageError(`${JSON.stringify(value)} is not a valid ${what} (expected ${pattern.source})`);
  return value;
}

function restart(state, [service]) {
  expectName(service, 'service name');
  const entry = state.services[service];
  if (entry === undefined) {
    throw new UsageError(`unknown service ${service} (known: ${Object.keys(state.services).sort().join(', ')})`);
  }
  entry.restarts += 1;
  entry.lastRestart = now().toISOString();
  record(state, `${service}: restarted (restart #${entry.restarts})`);
  return `${service} restarted (restart #${entry.restarts} since the demo began)`;
}

function jobState(job) {
  const elapsed = Math.max(0, Math.floor((now().getTime() - Date.parse(job.startedAt)) / 1000));
  return elapsed >= job.seconds ? { state: 'completed', detail: `took ${job.seconds}s` } : { state: 'running', detail: `${elapsed}s so far` };
}

function batchStart(state, [name]) {
  expectName(name, 'job name');
  const existing = state.jobs[name];
  if (existing !== undefined && jobState(existing).state === 'running') {
    throw new RefusedError(`batch job ${name} is already running (started ${existing.startedAt})`);
  }
  state.jobs[name] = { startedAt: now().toISOString(), seconds: JOB_SECONDS };
  record(state, `batch ${name}: started`);
  return `batch job ${name} started; it completes in about ${JOB_SECONDS}s`;
}

/** One job per line, `<job> <state> <details>`: the format the batch plugin reads. */
function batchStatus(state) {
  const names = Object.keys(state.jobs).sort();
  if (names.length === 0) return 'no batch jobs have run yet';
  const width = Math.max(...names.map((n) => n.length));
  return names.map((name) => {
    const job = state.jobs[name];
    const { state: current, detail } = jobState(job);
    return `${name.padEnd(width)}  ${current.padEnd(9)}  started ${job.startedAt}, ${detail}`;
  }).join('\n');
}

function usersAdd(state, [name]) {
  expectName(name, 'user name', USER_NAME);
  if (state.users.includes(name)) throw new RefusedError(`user ${name} already exists`);
  state.users.push(name);
  state.users.sort();
  record(state, `users: added ${name}`);
  return `user ${name} added (${state.users.length} users)`;
}

function usersRemove(state, [name]) {
  expectName(name, 'user name', USER_NAME);
  if (!state.users.includes(name)) throw new RefusedError(`there is no user ${name} (users: ${state.users.join(', ') || 'none'})`);
  state.users = state.users.filter((user) => user !== name);
  record(state, `users: removed ${name}`);
  return `user ${name} removed (${state.users.length} users)`;
}

function dbVersion(state) {
  const pending = MIGRATIONS.length - state.schema.version;
  const last = state.schema.migrations[state.schema.migrations.length - 1];
  const applied = last ? `, last migration ${last.name} applied ${last.appliedAt}` : '';
  return `schema version ${state.schema.version}${applied}; ${pending === 0 ? 'up to date' : `${pending} pending`}`;
}

function dbUpgrade(state) {
  const pending = MIGRATIONS.slice(state.schema.version);
  if (pending.length === 0) return `schema version ${state.schema.version} is already the latest; nothing to do`;
  const from = state.schema.version;
  const at = now().toISOString();
  for (const name of pending) state.schema.migrations.push({ name, appliedAt: at });
  state.schema.version = MIGRATIONS.length;
  record(state, `db: upgraded from version ${from} to ${state.schema.version}`);
  return `schema upgraded from version ${from} to ${state.schema.version}: applied ${pending.join(', ')}`;
}

function tailLog(state, [lines]) {
  if (lines === undefined) throw new UsageError('missing the number of lines');
  if (!/^\d+$/.test(lines) || Number(lines) < 1 || Number(lines) > MAX_TAIL) {
    throw new UsageError(`the number of lines must be a whole number from 1 to ${MAX_TAIL} (got ${JSON.stringify(lines)})`);
  }
  return state.log.slice(-Number(lines)).join('\n');
}

/** name -> [handler, number of arguments, whether it changes the state]. */
const COMMANDS = {
  restart: [restart, 1, true],
  'batch-start': [batchStart, 1, true],
  'batch-status': [batchStatus, 0, false],
  'users-add': [usersAdd, 1, true],
  'users-remove': [usersRemove, 1, true],
  'db-version': [dbVersion, 0, false],
  'db-upgrade': [dbUpgrade, 0, true],
  'tail-log': [tailLog, 1, false],
};

const USAGE = 'usage: demo-ops.mjs restart <service> | batch-start <job> | batch-status | users-add <name> | users-remove <name> | db-version | db-upgrade | tail-log <lines>';

function main(argv) {
  const [command, ...args] = argv;
  if (command === undefined || !Object.hasOwn(COMMANDS, command)) {
    throw new UsageError(command === undefined ? 'no subcommand given' : `unknown subcommand ${JSON.stringify(command)}`);
  }
  const [handler, arity, writes] = COMMANDS[command];
  if (args.length > arity) throw new UsageError(`${command} takes ${arity === 0 ? 'no arguments' : `${arity} argument`}, got ${args.length}`);
  const state = loadState();
  const output = handler(state, args);
  if (writes) saveState(state);
  return output;
}

try {
  process.stdout.write(`${main(process.argv.slice(2))}\n`);
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`demo-ops: ${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`demo-ops: ${error instanceof RefusedError ? error.message : error.stack ?? String(error)}\n`);
    process.exitCode = 1;
  }
}
