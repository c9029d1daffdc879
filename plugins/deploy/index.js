// The deploy plugin: starts a deployment by dispatching a GitHub Actions workflow (workflow_dispatch with the
// inputs env and service) and lists the latest runs of that workflow. The GitHub token is a secret handle that
// only the host turns into the real value, and only for api.github.com. Runs in the opsroom sandbox: no imports.

const API = 'https://api.github.com';
const DEPLOY_USAGE = 'usage: deploy <service> <env> [--ref <git-ref>]';
const STATUS_USAGE = 'usage: deploy status [service]';
const SERVICE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;
const WORKFLOW = /^(?:[A-Za-z0-9._-]+\.ya?ml|\d{1,20})$/;
const RUNS = 5;

class Problem extends Error {}

function typeName(value) {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function oneLine(text, max) {
  const flat = String(text).replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function messageOf(error) {
  return isObject(error) && typeof error.message === 'string' ? error.message : String(error);
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The rules of `git check-ref-format` that matter for a ref typed in chat; undefined when the ref is fine. */
function refProblem(ref) {
  if (ref.length > 200) return 'is longer than 200 characters';
  if (!/^[A-Za-z0-9._/-]+$/.test(ref)) return 'may contain only letters, digits and . _ / -';
  if (/^[-/.]|\/$|\.$|\.lock$|\.\.|\/\/|\/\./.test(ref)) return 'is not a valid git ref';
  return undefined;
}

/** The configuration, checked; every problem names the setting an operator has to fix. */
function settingsOf(config) {
  const at = 'plugins.config.deploy';
  const bad = (what) => new Problem(`The deploy plugin is misconfigured: ${at}.${what}.`);
  const workflow = config.workflow === undefined ? 'deploy.yml' : config.workflow;
  if (typeof workflow !== 'string' || !WORKFLOW.test(workflow)) throw bad(`workflow must be a workflow file name such as deploy.yml, or its numeric id (got ${JSON.stringify(workflow)})`);
  const environments = config.environments === undefined ? ['staging', 'prod'] : config.environments;
  if (!Array.isArray(environments) || environments.length === 0 || !environments.every((e) => typeof e === 'string' && SERVICE.test(e))) {
    throw bad(`environments must be a non-empty list of environment names such as ["staging", "prod"] (got ${oneLine(JSON.stringify(environments), 80)})`);
  }
  const defaultRef = config.defaultRef === undefined ? 'main' : config.defaultRef;
  if (typeof defaultRef !== 'string' || refProblem(defaultRef) !== undefined) throw bad(`defaultRef must be a git ref such as main (got ${JSON.stringify(defaultRef)})`);
  const repositories = config.repositories === undefined ? {} : config.repositories;
  if (!isObject(repositories)) throw bad(`repositories must be an object of service -> owner/repo (got ${typeName(repositories)})`);
  for (const [service, repository] of Object.entries(repositories)) {
    if (typeof repository !== 'string' || !REPOSITORY.test(repository)) throw bad(`repositories.${service} must be owner/repo (got ${JSON.stringify(repository)})`);
  }
  const repository = config.repository;
  if (repository !== undefined && repository !== '' && (typeof repository !== 'string' || !REPOSITORY.test(repository))) {
    throw bad(`repository must be owner/repo such as acme/platform (got ${JSON.stringify(repository)})`);
  }
  return { workflow, environments, defaultRef, repositories, repository: repository || undefined };
}

function repositoryFor(settings, service) {
  const repository = service !== undefined && Object.prototype.hasOwnProperty.call(settings.repositories, service) ? settings.repositories[service] : settings.repository;
  if (repository !== undefined) return repository;
  const forService = service === undefined ? '' : `, or plugins.config.deploy.repositories.${service}`;
  throw new Problem(`deploy does not know which GitHub repository to use${service === undefined ? '' : ` for ${service}`}: an operator sets plugins.config.deploy.repository${forService}.`);
}

function workflowUrl(repository, workflow) {
  return `${API}/repos/${repository}/actions/workflows/${encodeURIComponent(workflow)}`;
}

function githubHeaders(ctx, withBody) {
  let token;
  try {
    token = ctx.secret('GITHUB_TOKEN');
  } catch (error) {
    throw new Problem(`deploy cannot use the GitHub token: ${messageOf(error)}. An admin grants it with \`plugin grant deploy secrets:GITHUB_TOKEN\`.`);
  }
  const headers = { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };
  if (withBody) headers['content-type'] = 'application/json';
  return headers;
}

const HINTS = {
  401: ' Check the GITHUB_TOKEN secret: GitHub did not accept it.',
  403: ' The token may lack the Actions permission on this repository, or the rate limit was hit.',
  404: ' Check the repository and workflow names, and that the token can see the repository.',
  422: ' Check the ref, and that the workflow has a workflow_dispatch trigger with the inputs env and service.',
};

function githubFailure(what, status, body) {
  const json = parseJson(body);
  const said = isObject(json) && typeof json.message === 'string' ? json.message : oneLine(body, 200);
  return new Problem(`GitHub answered HTTP ${status} to ${what}${said ? `: ${oneLine(said, 200)}` : ''}.${HINTS[status] || ''}`);
}

async function request(ctx, what, url, init) {
  try {
    return await ctx.fetch(url, init);
  } catch (error) {
    throw new Problem(`Could not call GitHub to ${what}: ${messageOf(error)}`);
  }
}

function when(iso) {
  return typeof iso === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '-';
}

function text(value, max) {
  return typeof value === 'string' && value.trim() !== '' ? oneLine(value, max) : typeof value === 'number' ? String(value) : '-';
}

function runRow(run) {
  const state = run.status === 'completed' ? run.conclusion || 'completed' : run.status;
  const actor = isObject(run.triggering_actor) ? run.triggering_actor.login : isObject(run.actor) ? run.actor.login : undefined;
  return [`#${text(run.run_number, 10)}`, text(state, 16), text(run.head_branch, 24), when(run.run_started_at || run.created_at), text(actor, 20), text(run.display_title, 40)];
}

function table(header, rows) {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const lines = all.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
  return '```\n' + lines.join('\n').replace(/```/g, '`\u200b`\u200b`') + '\n```';
}

async function dispatch(ctx, args) {
  const settings = settingsOf(ctx.config || {});
  const service = String(args.service);
  const env = String(args.env);
  if (!SERVICE.test(service)) return `The service ${JSON.stringify(oneLine(service, 40))} is not a valid name (letters, digits, . _ -).\n${DEPLOY_USAGE}`;
  if (!settings.environments.includes(env)) return `env must be one of ${settings.environments.join(', ')} (got ${JSON.stringify(oneLine(env, 40))}).\n${DEPLOY_USAGE}`;
  const ref = typeof args.ref === 'string' ? args.ref : settings.defaultRef;
  const badRef = refProblem(ref);
  if (badRef !== undefined) return `--ref ${JSON.stringify(oneLine(ref, 60))} ${badRef}.\n${DEPLOY_USAGE}`;
  const repository = repositoryFor(settings, service);
  const what = `the dispatch of ${settings.workflow} in ${repository}`;
  const response = await request(ctx, `deploy ${service}`, `${workflowUrl(repository, settings.workflow)}/dispatches`, {
    method: 'POST', headers: githubHeaders(ctx, true), body: JSON.stringify({ ref, inputs: { env, service } }),
  });
  if (response.status !== 204) throw githubFailure(what, response.status, await response.text());
  return `Deployment of ${service}@${ref} to ${env} started: ${settings.workflow} is running in ${repository}. \`deploy status ${service}\` shows its progress.`;
}

async function latestRuns(ctx, args) {
  const settings = settingsOf(ctx.config || {});
  const service = typeof args.service === 'string' ? args.service : undefined;
  if (service !== undefined && !SERVICE.test(service)) return `The service ${JSON.stringify(oneLine(service, 40))} is not a valid name (letters, digits, . _ -).\n${STATUS_USAGE}`;
  const repository = repositoryFor(settings, service);
  const where = `${settings.workflow} in ${repository}`;
  const response = await request(ctx, `list the runs of ${where}`, `${workflowUrl(repository, settings.workflow)}/runs?per_page=${RUNS}`, {
    method: 'GET', headers: githubHeaders(ctx, false),
  });
  const body = await response.text();
  if (response.status !== 200) throw githubFailure(`the list of runs of ${where}`, response.status, body);
  const json = parseJson(body);
  if (!isObject(json) || !Array.isArray(json.workflow_runs)) throw new Problem(`GitHub's list of runs of ${where} could not be read (expected an object with workflow_runs).`);
  const runs = json.workflow_runs.filter(isObject).slice(0, RUNS);
  if (runs.length === 0) return `${where} has no runs yet.`;
  const latest = typeof runs[0].html_url === 'string' ? [`Latest: ${runs[0].html_url}`] : [];
  return [`Latest runs of ${where}:`, table(['RUN', 'STATUS', 'REF', 'STARTED (UTC)', 'BY', 'TITLE'], runs.map(runRow)), ...latest].join('\n');
}

async function answer(work) {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Problem) return error.message;
    throw error;
  }
}

export default {
  commands: {
    deploy: (ctx, args) => answer(() => dispatch(ctx, args)),
    deployStatus: (ctx, args) => answer(() => latestRuns(ctx, args)),
  },
};
