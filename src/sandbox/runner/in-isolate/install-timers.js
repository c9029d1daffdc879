// Part of the isolate bootstrap (see bootstrap-source.ts): runs inside the plugin's isolate.
// setTimeout, setInterval, their clear functions and queueMicrotask. A timer is kept by the runner and fires back
// through `fire`; timers belong to the calls in flight and are all dropped when the last of them ends.
function installTimers(js, describer, send, settings, calls) {
  const { global, apply, create, defineProperty, mathFloor, promiseThen, resolvedPromise, TypeErrorCtor, RangeErrorCtor, freeze } = js;
  const { makeError } = describer;
  const timers = create(null);
  let timerCount = 0;
  let timerSeq = 0;

  function add(fn, delay, args, repeat) {
    if (typeof fn !== 'function') throw new TypeErrorCtor('setTimeout and setInterval take a function (code strings are not evaluated)');
    if (calls.active() === 0) throw makeError('Error', 'timers can only be set while a call is running; use ctx.schedule for later work');
    if (timerCount >= settings.maxTimers) throw new RangeErrorCtor('too many pending timers (limit ' + settings.maxTimers + ')');
    let ms = mathFloor(+delay);
    if (!(ms >= 1)) ms = 1;
    if (ms > 2147483647) ms = 2147483647;
    const id = ++timerSeq;
    timers[id] = { fn, args, repeat: repeat ? ms : 0 };
    timerCount++;
    send('timer', id, ms);
    return id;
  }

  function clear(id) {
    if (typeof id !== 'number' || timers[id] === undefined) return;
    delete timers[id];
    timerCount--;
    send('untimer', id);
  }

  function clearAll() {
    for (const id in timers) delete timers[id];
    timerCount = 0;
  }

  function fire(id) {
    const timer = timers[id];
    if (timer === undefined) return;
    if (timer.repeat === 0) {
      delete timers[id];
      timerCount--;
    } else {
      send('timer', id, timer.repeat);
    }
    try {
      apply(timer.fn, undefined, timer.args);
    } catch (error) {
      calls.failAll(error);
    }
  }

  function defineGlobal(name, value) {
    defineProperty(global, name, { value, writable: true, enumerable: false, configurable: true });
  }

  defineGlobal('setTimeout', function setTimeout(fn, delay, ...args) {
    return add(fn, delay, args, false);
  });
  defineGlobal('setInterval', function setInterval(fn, delay, ...args) {
    return add(fn, delay, args, true);
  });
  defineGlobal('clearTimeout', function clearTimeout(id) {
    clear(id);
  });
  defineGlobal('clearInterval', function clearInterval(id) {
    clear(id);
  });
  defineGlobal('queueMicrotask', function queueMicrotask(fn) {
    if (typeof fn !== 'function') throw new TypeErrorCtor('queueMicrotask takes a function');
    apply(promiseThen, resolvedPromise, [() => {
      try {
        fn();
      } catch (error) {
        calls.failAll(error);
      }
    }]);
  });

  return freeze({ fire, clearAll });
}
