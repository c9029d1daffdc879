// Part of the isolate bootstrap (see bootstrap-source.ts): runs inside the plugin's isolate.
// Builds the frozen `ctx` of one call. Every async member becomes one capability call out through the bridge, as JSON
// text; answers come back through `settle`. Nothing here ever hands plugin code the bridge or a host object.
function createContextFactory(js, describer, send, settings) {
  const { apply, stringify, parse, PromiseCtor, promiseThen, freeze, hasOwn, TypeErrorCtor, RangeErrorCtor } = js;
  const { cut, describeValue, errorParts, makeError, rejected, deepFreeze } = describer;

  function trimArgs(args) {
    let length = args.length;
    while (length > 0 && args[length - 1] === undefined) length--;
    args.length = length;
    return args;
  }

  function request(call, capability, method, args) {
    if (call.ended) return rejected(makeError('Error', 'ctx.' + capability + ' was used after the call had ended'));
    if (call.inFlight >= settings.maxCapsInFlight) {
      // One rejected promise per call, shared by every refusal: a flood must cost neither a stack trace nor a promise each.
      call.refused ??= rejected(new RangeErrorCtor('too many capability calls in flight (limit ' + settings.maxCapsInFlight + '); await some before starting more'));
      return call.refused;
    }
    let json;
    try {
      json = stringify(trimArgs(args));
    } catch (error) {
      return rejected(new TypeErrorCtor('the arguments of ctx.' + capability + ' must be JSON-like values: ' + errorParts(error)[1]));
    }
    if (json.length > settings.maxArgChars) return rejected(new RangeErrorCtor('the arguments of ctx.' + capability + ' are larger than 1 MiB'));
    const cap = ++call.capSeq;
    call.inFlight++;
    return new PromiseCtor((resolve, reject) => {
      call.pending[cap] = { resolve, reject };
      send('cap', call.id, cap, capability, method, json);
    });
  }

  function note(call, capability, method, args) {
    if (call.ended) return;
    if (call.notes >= settings.maxNotes) {
      if (call.notes === settings.maxNotes) {
        call.notes++;
        send('note', call.id, 'log', 'warn', stringify(['further log lines of this call were dropped (limit ' + settings.maxNotes + ')']));
      }
      return;
    }
    call.notes++;
    let json;
    try {
      json = stringify(trimArgs(args));
    } catch {
      json = undefined;
    }
    if (json === undefined || json.length > settings.maxArgChars) {
      json = stringify(['a log line was dropped: its fields are not JSON-like or are larger than 1 MiB']);
    }
    send('note', call.id, capability, method, json);
  }

  // The host's answer to capability call `cap`: JSON text, or the name and message of an error.
  function settle(call, cap, value, errorName, errorMessage) {
    const waiter = call.pending[cap];
    if (waiter === undefined) return;
    delete call.pending[cap];
    call.inFlight--;
    if (errorName !== undefined) {
      waiter.reject(makeError(errorName, errorMessage));
      return;
    }
    let result;
    try {
      result = value === undefined ? undefined : parse(value);
    } catch (error) {
      waiter.reject(error);
      return;
    }
    waiter.resolve(result);
  }

  function toResponse(raw) {
    const body = typeof raw.body === 'string' ? raw.body : '';
    const status = raw.status;
    return freeze({
      status,
      ok: status >= 200 && status <= 299,
      headers: deepFreeze(raw.headers !== null && typeof raw.headers === 'object' ? raw.headers : {}),
      text: () => new PromiseCtor((resolve) => resolve(body)),
      json: () => new PromiseCtor((resolve) => resolve(parse(body))),
    });
  }

  function secret(call, secrets, name) {
    if (typeof name === 'string' && secrets !== null && typeof secrets === 'object' && hasOwn(secrets, name)) {
      const placeholder = secrets[name];
      if (typeof placeholder === 'string') return placeholder;
    }
    const shown = typeof name === 'string' ? cut(name, 200) : describeValue(name);
    note(call, 'secret', 'denied', [shown]);
    throw makeError('CapabilityDenied', 'secret ' + shown + ' was not granted to this plugin');
  }

  function makeCtx(call, context) {
    const ctx = {};
    if (context.invocation !== undefined && context.invocation !== null) ctx.invocation = deepFreeze(context.invocation);
    ctx.config = deepFreeze(context.config !== null && typeof context.config === 'object' ? context.config : {});
    ctx.reply = (message) => request(call, 'reply', 'reply', [message]);
    ctx.post = (alias, message) => request(call, 'post', 'post', [alias, message]);
    ctx.fetch = (url, init) => apply(promiseThen, request(call, 'fetch', 'fetch', [url, init]), [toResponse]);
    ctx.secret = (name) => secret(call, context.secrets, name);
    ctx.storage = freeze({
      get: (key) => request(call, 'storage', 'get', [key]),
      set: (key, value) => request(call, 'storage', 'set', [key, value]),
      delete: (key) => request(call, 'storage', 'delete', [key]),
      list: (prefix) => request(call, 'storage', 'list', [prefix]),
    });
    ctx.runbook = (name, params) => request(call, 'runbook', 'runbook', [name, params]);
    ctx.schedule = (name, cron) => request(call, 'schedule', 'schedule', [name, cron]);
    ctx.unschedule = (name) => request(call, 'schedule', 'unschedule', [name]);
    ctx.log = freeze({
      info: (message, fields) => note(call, 'log', 'info', [message, fields]),
      warn: (message, fields) => note(call, 'log', 'warn', [message, fields]),
      error: (message, fields) => note(call, 'log', 'error', [message, fields]),
    });
    return freeze(ctx);
  }

  return freeze({ makeCtx, settle });
}
