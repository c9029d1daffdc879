// Part of the isolate bootstrap (see bootstrap-source.ts): runs inside the plugin's isolate, before plugin code.
// Built-ins the bootstrap uses, captured before plugin code can patch them; a plugin that patches its globals can
// break only its own calls this way, never the bridge.
function captureIntrinsics() {
  const { create, freeze, keys, defineProperty, isFrozen, hasOwn } = Object;
  const PromiseCtor = Promise;
  const promiseThen = Promise.prototype.then;
  return freeze({
    global: globalThis,
    create, freeze, keys, defineProperty, isFrozen, hasOwn,
    apply: Reflect.apply,
    stringify: JSON.stringify,
    parse: JSON.parse,
    PromiseCtor,
    promiseThen,
    resolvedPromise: new PromiseCtor((resolve) => resolve(undefined)),
    ErrorCtor: Error,
    TypeErrorCtor: TypeError,
    RangeErrorCtor: RangeError,
    isArray: Array.isArray,
    StringCtor: String,
    stringSlice: String.prototype.slice,
    symbolToString: Symbol.prototype.toString,
    mathFloor: Math.floor,
  });
}
