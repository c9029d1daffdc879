// The users plugin: adds and removes user accounts by running the operator's users-add and users-remove runbooks
// with the account name as their one parameter. Both commands are high-risk: they run only after an approval.
// Runs in the opsroom sandbox: no imports, ctx only.

const NAME = /^[a-z][a-z0-9._-]{0,31}$/;
const OUTPUT_CHARS = 1500;

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

/** Runs a runbook and returns its result; anything but a clean exit 0 becomes a Problem saying what happened. */
async function runRunbook(ctx, name, params, doing) {
  let result;
  try {
    result = await ctx.runbook(name, params);
  } catch (error) {
    throw new Problem(`Could not ${doing}: ${messageOf(error)}`);
  }
  if (!isObject(result) || typeof result.stdout !== 'string') throw new Problem(`Could not ${doing}: the ${name} runbook returned no result.`);
  if (result.timedOut) throw new Problem(`Could not ${doing}: the ${name} runbook did not finish within its time limit and was stopped.`);
  if (result.exitCode !== 0) {
    const how = result.exitCode === null ? 'was killed by a signal' : `exited with ${result.exitCode}`;
    throw new Problem(`Could not ${doing}: the ${name} runbook ${how}: ${oneLine(result.stderr || result.stdout || 'no output', 300)}`);
  }
  return result;
}

/** The runbook's output for a reply: one line inline, several in a code block, the newest part if it is long. */
function shown(stdout) {
  const text = stdout.trim();
  if (text === '') return '.';
  if (!text.includes('\n') && text.length <= 300) return `: ${text}`;
  const cut = text.length > OUTPUT_CHARS ? `…${text.slice(-OUTPUT_CHARS)}` : text;
  return `:\n\`\`\`\n${cut.replace(/```/g, '`\u200b`\u200b`')}\n\`\`\``;
}

function change(verb, runbook, done) {
  const usage = `usage: users ${verb} <name>`;
  return async (ctx, args) => {
    const name = String(args.name);
    if (!NAME.test(name)) {
      return `${JSON.stringify(oneLine(name, 40))} is not an account name (a lower-case letter, then up to 31 lower-case letters, digits, . _ -).\n${usage}`;
    }
    try {
      const result = await runRunbook(ctx, runbook, { name }, `${verb} the user ${name}`);
      return `${done} ${name}${shown(result.stdout)}`;
    } catch (error) {
      if (error instanceof Problem) return error.message;
      throw error;
    }
  };
}

export default {
  commands: {
    usersAdd: change('add', 'users-add', 'Added the user'),
    usersRemove: change('remove', 'users-remove', 'Removed the user'),
  },
};
