// The restart plugin: restarts a service by running the operator's restart-app runbook with the service name as
// its one parameter. What "restart" means (systemctl, kubectl rollout restart, a demo script) is the runbook's
// business. The command is high-risk: it runs only after an approval. Runs in the opsroom sandbox: no imports.

const USAGE = 'usage: restart <service>';
const RUNBOOK = 'restart-app';
const SERVICE = /^[a-z0-9][a-z0-9._-]{0,63}$/;
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
  if (text === '') return '';
  if (!text.includes('\n') && text.length <= 300) return `: ${text}`;
  const cut = text.length > OUTPUT_CHARS ? `…${text.slice(-OUTPUT_CHARS)}` : text;
  return `:\n\`\`\`\n${cut.replace(/```/g, '`\u200b`\u200b`')}\n\`\`\``;
}

function allowedServices(config) {
  const services = config.services;
  if (services === undefined) return undefined;
  if (!Array.isArray(services) || !services.every((s) => typeof s === 'string')) {
    throw new Problem(`The restart plugin is misconfigured: plugins.config.restart.services, when set, must be a list of service names (got ${oneLine(JSON.stringify(services), 80)}).`);
  }
  return services;
}

async function restart(ctx, args) {
  const service = String(args.service);
  if (!SERVICE.test(service)) return `${JSON.stringify(oneLine(service, 40))} is not a service name (lower-case letters, digits, . _ -).\n${USAGE}`;
  const allowed = allowedServices(ctx.config || {});
  if (allowed !== undefined && !allowed.includes(service)) return `restart does not manage ${service} (services: ${allowed.join(', ') || 'none'}).\n${USAGE}`;
  const result = await runRunbook(ctx, RUNBOOK, { service }, `restart ${service}`);
  return `Restarted ${service}${shown(result.stdout) || '.'}`;
}

export default {
  commands: {
    async restart(ctx, args) {
      try {
        return await restart(ctx, args);
      } catch (error) {
        if (error instanceof Problem) return error.message;
        throw error;
      }
    },
  },
};
