// Part of the isolate bootstrap (see bootstrap-source.ts): runs inside the plugin's isolate.
// Reads the plugin's default export once, at load, and keeps its handler functions for the calls.
function createHandlerTable(js, describer) {
  const { stringify, create, keys, isArray, freeze } = js;
  const { typeName, errorParts } = describer;
  let handlers = null;

  function refuse(reason) {
    return stringify({ error: reason });
  }

  function optionalHook(exported, hook) {
    const value = exported[hook];
    if (value === undefined) return { ok: true, fn: undefined };
    if (typeof value !== 'function') return { ok: false, reason: 'default.' + hook + ' must be a function, got ' + typeName(value) };
    return { ok: true, fn: value };
  }

  function readHandlers(exported) {
    let commands = exported.commands;
    if (commands === undefined) commands = {};
    if (commands === null || typeof commands !== 'object' || isArray(commands)) {
      return refuse('default.commands must be an object of functions, got ' + typeName(commands));
    }
    const names = keys(commands);
    const table = create(null);
    for (let i = 0; i < names.length; i++) {
      const fn = commands[names[i]];
      if (typeof fn !== 'function') return refuse('default.commands.' + names[i] + ' must be a function, got ' + typeName(fn));
      table[names[i]] = fn;
    }
    const hooks = create(null);
    const hookNames = ['onWebhook', 'onSchedule', 'setup'];
    for (let i = 0; i < hookNames.length; i++) {
      const hook = optionalHook(exported, hookNames[i]);
      if (!hook.ok) return refuse(hook.reason);
      hooks[hookNames[i]] = hook.fn;
    }
    handlers = { commands: table, commandsHolder: commands, exported, hooks };
    const report = { commands: names, hasOnWebhook: hooks.onWebhook !== undefined, hasOnSchedule: hooks.onSchedule !== undefined, hasSetup: hooks.setup !== undefined };
    return stringify({ report });
  }

  // Returns the load report, or why the export cannot be used, as JSON text.
  function install(namespace) {
    if (!('default' in namespace)) return refuse('index.js has no default export (expected export default { commands: { ... } })');
    let exported;
    try {
      exported = namespace.default;
    } catch {
      // Still in its temporal dead zone: the module is suspended in a top-level await.
      return refuse('top-level await is not supported (do asynchronous setup in setup(ctx))');
    }
    if (exported === null || typeof exported !== 'object' || isArray(exported)) {
      return refuse('the default export must be an object, got ' + typeName(exported));
    }
    try {
      return readHandlers(exported);
    } catch (error) {
      const parts = errorParts(error);
      return refuse('reading the default export threw: ' + (parts[0] === '' || parts[0] === 'Error' ? '' : parts[0] + ': ') + parts[1]);
    }
  }

  // { fn, holder } for an entry, or undefined; the holder is `this` for the call, as `commands.x()` would have it.
  function resolve(kind, name) {
    if (handlers === null) return undefined;
    if (kind === 'command') {
      const fn = handlers.commands[name];
      return fn === undefined ? undefined : { fn, holder: handlers.commandsHolder };
    }
    const hook = kind === 'webhook' ? 'onWebhook' : kind === 'schedule' ? 'onSchedule' : kind === 'setup' ? 'setup' : '';
    const fn = hook === '' ? undefined : handlers.hooks[hook];
    return fn === undefined ? undefined : { fn, holder: handlers.exported };
  }

  return freeze({ install, resolve });
}
