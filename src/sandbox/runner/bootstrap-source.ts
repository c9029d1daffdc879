import { readFileSync } from 'node:fs';

// The code evaluated in every plugin isolate before the plugin's module. Each part in ./in-isolate/ is a plain script
// declaring one factory function; here they are joined into ONE strict function expression, which the runner calls
// once with the bridge callback and which returns `dispatch`. Nothing of the parts or the bridge is left on
// globalThis, and because every function is strict, stack-trace call sites never hand out a function or a receiver.
const PARTS = ['capture-intrinsics.js', 'create-describer.js', 'create-handler-table.js', 'create-context-factory.js', 'install-timers.js', 'create-dispatch.js'];

function part(file: string): string {
  return readFileSync(new URL(`./in-isolate/${file}`, import.meta.url), 'utf8');
}

export const BOOTSTRAP_SOURCE = `(function opsroomBootstrap(send, settingsJson) {
'use strict';
${PARTS.map(part).join('\n')}
return createDispatch(send, settingsJson);
})`;
