// The itest plugin: starts an integration test suite by dispatching a GitHub Actions workflow (input: suite) and
// reports the conclusion of the latest run. The GitHub token is a secret handle the host fills in only for
// api.github.com. Runs in the opsroom sandbox: no imports, ctx only.

const API = 'https://api.github.com';
const RUN_USAGE = 'usage: itest run <suite> [--ref <git-ref>]';
const SUITE = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
const REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;
const WORKFLOW = /^(?:[A-Za-z0-9._-]+\.ya?ml|\d{1,20})$/;

class Problem extends Error {}

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

function settingsOf(config) {
  const at = 'plugins.config.itest';
  const bad = (what) => new Problem(`The itest plugin is misconfigured: ${at}.${what}.`);
  const repository = config.repository;
  if (repository === undefined || repository === '') throw new Problem(`itest does not know which GitHub repository runs the tests: an operator sets ${at}.repository (owner/repo).`);
  if (typeof repository !== 'string' || !REPOSITORY.test(repository)) throw bad(`repository must be owner/repo such as acme/platform (got ${JSON.stringify(repository)})`);
  const workflow = config.workflow === undefined ? 'integration-tests.yml' : config.workflow;
  if (typeof workflow !== 'string' || !WORKFLOW.test(workflow)) throw bad(`workflow must be a workflow file name such as integration-tests.yml, or its numeric id (got ${JSON.stringify(workflow)})`);
  const defaultRef = config.defaultRef === undefined ? 'main' : config.defaultRef;
  if (typeof defaultRef !== 'string' || refProblem(defaultRef) !== undefined) throw bad(`defaultRef must be a git ref such as main (got ${JSON.stringify(defaultRef)})`);
  const suites = config.suites;
  if (suites !== undefined && (!Array.isArray(suites) || suites.length === 0 || !suites.every((s) => typeof s === 'string' && SUITE.test(s)))) {
    throw bad(`suites, when set, must be a non-empty list of suite names (got ${oneLine(JSON.stringify(suites), 80)})`);
  }
  return { repository, workflow, defaultRef, suites };
}

function githubHeaders(ctx, withBody) {
  let token;
  try {
    token = ctx.secret('GITHUB_TOKEN');
  } catch (error) {
    throw new Problem(`itest cannot use the GitHub token: ${messageOf(error)}. An admin grants it with \`plugin grant itest secrets:GITHUB_TOKEN\`.`);
  }
  const headers = { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };
  if (withBody) headers['content-type'] = 'application/json';
  return headers;
}

const HINTS = {
  401: ' Check the GITHUB_TOKEN secret: GitHub did not accept it.',
  403: ' The token may lack the Actions permission on this repository, or the rate limit was hit.',
  404: ' Check the repository and workflow names, and that the token can see the repository.',
  422: ' Check the ref, and that the workflow has a workflow_dispatch trigger with the input suite.',
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

function workflowUrl(settings) {
  return `${API}/repos/${settings.repository}/actions/workflows/${encodeURIComponent(settings.workflow)}`;
}

function when(iso) {
  return typeof iso === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : 'at an unknown time';
}

function took(run) {
  const ms = Date.parse(run.updated_at) - Date.parse(run.run_started_at || run.created_at);
  if (!Number.isFinite(ms) || ms < 0) return '';
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `, took ${seconds}s` : `, took ${Math.floor(seconds / 60)}m ${seconds % 60}s`;
}

function describeRun(run) {
  const number = typeof run.run_number === 'number' ? ` #${run.run_number}` : '';
  const title = typeof run.display_title === 'string' && run.display_title.trim() ? ` (${oneLine(run.display_title, 60)})` : '';
  const ref = typeof run.head_branch === 'string' && run.head_branch ? ` on ${oneLine(run.head_branch, 60)}` : '';
  const actor = isObject(run.triggering_actor) && typeof run.triggering_actor.login === 'string' ? ` by ${run.triggering_actor.login}` : '';
  const link = typeof run.html_url === 'string' ? `\n${run.html_url}` : '';
  const started = `started ${when(run.run_started_at || run.created_at)}${actor}`;
  if (run.status !== 'completed') {
    return `Integration test run${number}${title}${ref} is still ${typeof run.status === 'string' ? run.status : 'running'} (${started}); ask again with \`itest status\` later.${link}`;
  }
  const conclusion = typeof run.conclusion === 'string' && run.conclusion ? run.conclusion : 'unknown';
  return `Integration test run${number}${title}${ref} finished: **${conclusion}** (${started}${took(run)}).${link}`;
}

async function run(ctx, args) {
  const settings = settingsOf(ctx.config || {});
  const suite = String(args.suite);
  if (!SUITE.test(suite)) return `The suite ${JSON.stringify(oneLine(suite, 40))} is not a valid name (letters, digits, . _ / -).\n${RUN_USAGE}`;
  if (settings.suites !== undefined && !settings.suites.includes(suite)) return `There is no suite ${suite} (suites: ${settings.suites.join(', ')}).\n${RUN_USAGE}`;
  const ref = typeof args.ref === 'string' ? args.ref : settings.defaultRef;
  const badRef = refProblem(ref);
  if (badRef !== undefined) return `--ref ${JSON.stringify(oneLine(ref, 60))} ${badRef}.\n${RUN_USAGE}`;
  const response = await request(ctx, `start the ${suite} tests`, `${workflowUrl(settings)}/dispatches`, {
    method: 'POST', headers: githubHeaders(ctx, true), body: JSON.stringify({ ref, inputs: { suite } }),
  });
  if (response.status !== 204) throw githubFailure(`the dispatch of ${settings.workflow} in ${settings.repository}`, response.status, await response.text());
  return `Integration tests ${suite} started on ${ref}: ${settings.workflow} is running in ${settings.repository}. \`itest status\` shows the result when the run finishes.`;
}

async function status(ctx) {
  const settings = settingsOf(ctx.config || {});
  const where = `${settings.workflow} in ${settings.repository}`;
  const response = await request(ctx, `read the runs of ${where}`, `${workflowUrl(settings)}/runs?per_page=1`, { method: 'GET', headers: githubHeaders(ctx, false) });
  const body = await response.text();
  if (response.status !== 200) throw githubFailure(`the list of runs of ${where}`, response.status, body);
  const json = parseJson(body);
  if (!isObject(json) || !Array.isArray(json.workflow_runs)) throw new Problem(`GitHub's list of runs of ${where} could not be read (expected an object with workflow_runs).`);
  const latest = json.workflow_runs[0];
  if (!isObject(latest)) return `${where} has no runs yet; \`itest run <suite>\` starts one.`;
  return describeRun(latest);
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
    itestRun: (ctx, args) => answer(() => run(ctx, args)),
    itestStatus: (ctx) => answer(() => status(ctx)),
  },
};
