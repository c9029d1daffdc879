// Part of the isolate bootstrap (see bootstrap-source.ts): runs inside the plugin's isolate, before plugin code.
// Wires the parts together and returns `dispatch`, the one function the runner calls into the isolate (through the
// only Reference it holds). `send` is the bridge out; it stays in these closures and is only ever called directly,
// with primitive arguments.
function createDispatch(send, settingsJson) {
  const js = captureIntrinsics();
  const { global, apply, create, stringify, parse, PromiseCtor, promiseThen, defineProperty, TypeErrorCtor } = js;
  const settings = parse(settingsJson);

  // Shared memory allows blocking waits that burn no CPU, WebAssembly allocates outside the heap; plugins need neither.
  delete global.SharedArrayBuffer;
  delete global.Atomics;
  delete global.WebAssembly;

  const describer = createDescriber(js);
  const { typeName, errorParts } = describer;
  const handlers = createHandlerTable(js, describer);
  const contexts = createContextFactory(js, describer, send, settings);
  const calls = create(null);
  let activeCalls = 0;
  const timers = installTimers(js, describer, send, settings, { active: () => activeCalls, failAll });

  function endCall(call) {
    if (call.ended) return false;
    call.ended = true;
    delete calls[call.id];
    activeCalls--;
    if (activeCalls === 0) timers.clearAll();
    return true;
  }

  function finish(call, value) {
    if (!endCall(call)) return;
    if (value === undefined) {
      send('done', call.id);
      return;
    }
    let json;
    try {
      json = stringify(value);
    } catch (error) {
      send('bad', call.id, 'a value that cannot be copied (' + errorParts(error)[1] + ')');
      return;
    }
    if (json === undefined) {
      send('bad', call.id, typeName(value) + ', which cannot be copied');
      return;
    }
    if (json.length > settings.maxOutputChars) {
      send('big', call.id);
      return;
    }
    send('done', call.id, json);
  }

  function fail(call, error) {
    if (!endCall(call)) return;
    const parts = errorParts(error);
    send('threw', call.id, parts[0], parts[1]);
  }

  // Nothing outside a call can catch it, so, as an uncaught exception ends a process, it ends every call in flight.
  function failAll(error) {
    for (const id in calls) fail(calls[id], error);
  }

  function preparePayload(kind, payload) {
    if (kind === 'webhook' && payload !== null && typeof payload === 'object') {
      defineProperty(payload, 'json', { value: () => parse(payload.body), enumerable: false });
    }
    return payload;
  }

  function settleWith(call, result) {
    const onValue = (value) => finish(call, value);
    const onError = (error) => fail(call, error);
    if (result === null || (typeof result !== 'object' && typeof result !== 'function')) {
      finish(call, result);
      return;
    }
    try {
      // The captured `then` works on a native promise (what async handlers return) whatever the plugin patched.
      apply(promiseThen, result, [onValue, onError]);
      return;
    } catch {
      // Not a native promise: resolve it as `await` would, as a thenable or a plain value.
    }
    apply(promiseThen, new PromiseCtor((resolve) => resolve(result)), [onValue, onError]);
  }

  function start(callId, kind, name, contextJson, payloadJson) {
    const call = { id: callId, capSeq: 0, inFlight: 0, notes: 0, pending: create(null), ended: false, refused: undefined };
    calls[callId] = call;
    activeCalls++;
    const target = handlers.resolve(kind, name);
    if (target === undefined) {
      fail(call, new TypeErrorCtor('the plugin has no handler for this ' + kind));
      return;
    }
    let result;
    try {
      const context = parse(contextJson);
      const payload = preparePayload(kind, payloadJson === undefined ? undefined : parse(payloadJson));
      result = apply(target.fn, target.holder, [contexts.makeCtx(call, context), payload]);
    } catch (error) {
      fail(call, error);
      return;
    }
    settleWith(call, result);
  }

  function settle(callId, cap, value, errorName, errorMessage) {
    const call = calls[callId];
    if (call !== undefined) contexts.settle(call, cap, value, errorName, errorMessage);
  }

  // The runner ended the call (its wall time ran out while it waited): what it still awaits never arrives.
  function abandon(callId) {
    const call = calls[callId];
    if (call !== undefined) endCall(call);
  }

  return function dispatch(op, a, b, c, d, e) {
    switch (op) {
      case 'start':
        start(a, b, c, d, e);
        return undefined;
      case 'settle':
        settle(a, b, c, d, e);
        return undefined;
      case 'fire':
        timers.fire(a);
        return undefined;
      case 'end':
        abandon(a);
        return undefined;
      case 'install':
        return handlers.install(a);
      default:
        throw new TypeErrorCtor('unknown bridge operation');
    }
  };
}
