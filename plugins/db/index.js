// The db plugin: shows the database schema version and applies pending migrations, by running the operator's
// db-version and db-upgrade runbooks (no parameters). `db upgrade` is high-risk: it runs only after an approval.
// Runs in the opsroom sandbox: no imports, ctx only.

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
function shown(stdout, empty) {
  const text = stdout.trim();
  if (text === '') return empty;
  if (!text.includes('\n') && text.length <= 300) return text;
  const cut = text.length > OUTPUT_CHARS ? `…${text.slice(-OUTPUT_CHARS)}` : text;
  return `\`\`\`\n${cut.replace(/```/g, '`\u200b`\u200b`')}\n\`\`\``;
}

function command(runbook, doing, title, empty) {
  return async (ctx) => {
    try {
      const result = await runRunbook(ctx, runbook, {}, doing);
      const output = shown(result.stdout, empty);
      return output.startsWith('```') ? `${title}:\n${output}` : `${title}: ${output}`;
    } catch (error) {
      if (error instanceof Problem) return error.message;
      throw error;
    }
  };
}

export default {
  commands: {
    dbVersion: command('db-version', 'read the database version', 'Database', 'the db-version runbook printed nothing'),
    dbUpgrade: command('db-upgrade', 'upgrade the database', 'Database upgrade done', 'no output'),
  },
};
