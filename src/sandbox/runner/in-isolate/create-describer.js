// Part of the isolate bootstrap (see bootstrap-source.ts): runs inside the plugin's isolate.
// Words for values that came from plugin code, and errors made for it; nothing here calls a plugin's toString.
function createDescriber(js) {
  const { apply, stringify, isArray, StringCtor, stringSlice, symbolToString, ErrorCtor, defineProperty, PromiseCtor, promiseThen, resolvedPromise, keys, isFrozen, freeze } = js;

  function cut(text, max) {
    return text.length <= max ? text : apply(stringSlice, text, [0, max]) + '…';
  }

  function typeName(value) {
    if (value === null) return 'null';
    if (isArray(value)) return 'an array';
    const type = typeof value;
    if (type === 'undefined') return 'undefined';
    return type === 'object' ? 'an object' : 'a ' + type;
  }

  function describeValue(value) {
    try {
      switch (typeof value) {
        case 'string':
          return cut(value, 500);
        case 'symbol':
          return apply(symbolToString, value, []);
        case 'bigint':
          return StringCtor(value) + 'n';
        case 'function':
          return 'a function';
        case 'object': {
          if (value === null) return 'null';
          const json = stringify(value);
          return json === undefined ? typeName(value) : typeName(value) + ' ' + cut(json, 300);
        }
        default:
          return StringCtor(value);
      }
    } catch {
      try {
        return typeName(value) + ' that cannot be printed';
      } catch {
        return 'a value that cannot be printed';
      }
    }
  }

  // [name, message] of an Error (or an object carrying a string message); ['', description] of anything else.
  function errorParts(error) {
    try {
      if (error !== null && typeof error === 'object') {
        const message = error.message;
        if (typeof message === 'string') {
          const name = error.name;
          return [typeof name === 'string' ? cut(name, 100) : 'Error', cut(message, 2000)];
        }
      }
    } catch {
      // A throwing getter: describe the value instead.
    }
    return ['', describeValue(error)];
  }

  function makeError(name, message) {
    const error = new ErrorCtor(message);
    defineProperty(error, 'name', { value: name, writable: true, enumerable: false, configurable: true });
    return error;
  }

  // Rejects after the caller's synchronous code has attached its handlers. A promise rejected before that is tracked
  // by isolated-vm as unhandled, and each late handler scans that list: a flood of them would cost quadratic time.
  function rejected(error) {
    return new PromiseCtor((resolve, reject) => {
      apply(promiseThen, resolvedPromise, [() => reject(error)]);
    });
  }

  function deepFreeze(value) {
    if (value !== null && typeof value === 'object' && !isFrozen(value)) {
      const names = keys(value);
      for (let i = 0; i < names.length; i++) deepFreeze(value[names[i]]);
      freeze(value);
    }
    return value;
  }

  return freeze({ cut, typeName, describeValue, errorParts, makeError, rejected, deepFreeze });
}
