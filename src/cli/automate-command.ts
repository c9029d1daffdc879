import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { httpEntry, pluginFiles, pluginNameFor, runbookEntry, type Wish } from '../automation/wish-scaffold.js';
import type { OpsroomConfig } from '../config/config-schema.js';
import { loadConfig, validateConfig } from '../config/load-config.js';
import { ConfigError, UserError } from '../core/errors.js';
import { openDatabase } from '../storage/database.js';
import { WishlistStoreImpl } from '../storage/wishlist-store.js';
import { loggerFor, reportFailure } from './cli-support.js';

export interface AutomateOptions {
  config?: string;
  /** A `commands:` entry running this runbook. */
  runbook?: string;
  /** A `commands:` entry calling this URL. */
  http?: string;
  method?: string;
  /** Where the plugin folder goes (default: ./<plugin name>). */
  out?: string;
  /** Add the `commands:` entry to the configuration file instead of printing it. */
  write?: boolean;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** `opsroom automate <wish>`: a `commands:` entry (`--runbook`, `--http`) or a plugin folder, from a wishlist entry. */
export async function runAutomate(
  name: string, options: AutomateOptions, write = (t: string) => process.stdout.write(t), errors = (t: string) => process.stderr.write(t),
): Promise<number> {
  try {
    if (options.runbook !== undefined && options.http !== undefined) throw new UserError('E_BAD_ARGS', 'give --runbook or --http, not both (or neither, for a plugin folder)');
    const { config, file } = loadConfig({ file: options.config });
    const wish = await readWish(config, name.trim().toLowerCase());
    if (options.runbook === undefined && options.http === undefined) {
      write(writePlugin(wish, options.out));
      return 0;
    }
    const entry = options.runbook !== undefined ? runbookEntryFor(config, wish, options.runbook) : httpEntryFor(wish, options.http as string, options.method);
    write(options.write ? writeEntry(file, wish.command, entry) : stringify({ commands: { [wish.command]: entry } }));
    return 0;
  } catch (error) {
    return reportFailure(error, errors);
  }
}

async function readWish(config: OpsroomConfig, command: string): Promise<Wish> {
  const { logger } = loggerFor(config, false, true);
  const database = await openDatabase(config.storage, logger);
  try {
    const store = new WishlistStoreImpl(database);
    const requests = await store.requests(command.split(' ')[0] ?? command, 50);
    if (requests.length === 0) {
      const open = (await store.top(10)).map((e) => e.command);
      throw new UserError('E_NOT_FOUND', `nobody asked for \`${command}\` on the wishlist (${open.length > 0 ? `open wishes: ${open.join(', ')}` : 'the wishlist is empty'})`);
    }
    return { command, lines: requests.map((r) => r.text), askers: [...new Set(requests.map((r) => r.actorName))] };
  } finally {
    await database.close();
  }
}

function runbookEntryFor(config: OpsroomConfig, wish: Wish, runbook: string): ReturnType<typeof runbookEntry> {
  const definition = Object.hasOwn(config.runbooks, runbook) ? config.runbooks[runbook] : undefined;
  if (!definition) {
    const known = Object.keys(config.runbooks).sort();
    throw new UserError('E_NOT_FOUND', `there is no runbook ${runbook} in the configuration (${known.length > 0 ? `runbooks: ${known.join(', ')}` : 'none is configured'})`);
  }
  return runbookEntry(wish, runbook, definition);
}

function httpEntryFor(wish: Wish, url: string, method = 'GET'): ReturnType<typeof httpEntry> {
  if (!/^https?:\/\/[^\s/?#]+/i.test(url)) throw new UserError('E_BAD_ARGS', `--http ${JSON.stringify(url)} is not an http(s) URL such as https://status.example.com/api/{{args.arg1}}`);
  if (!METHODS.includes(method.toUpperCase())) throw new UserError('E_BAD_ARGS', `--method ${method} is not one of ${METHODS.join(', ')}`);
  return httpEntry(wish, method, url);
}

/** Adds the entry to the file's `commands`, keeping its comments; refuses a clash or a result that would not load. */
function writeEntry(file: string | undefined, command: string, entry: object): string {
  if (file === undefined) throw new UserError('E_BAD_ARGS', '--write needs a configuration file (-c <file>, OPSROOM_CONFIG or ./opsroom.yaml)');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  if (doc.hasIn(['commands', command])) throw new UserError('E_BAD_ARGS', `${file} already defines commands.${command}; edit it there`);
  doc.setIn(['commands', command], doc.createNode(entry));
  try {
    validateConfig(doc.toJS(), file);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${file} was left unchanged: with commands.${command} it would have ${error.problems.length} problem(s)`, error.problems);
    throw error;
  }
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, doc.toString());
  renameSync(temporary, file);
  return `Added commands.${command} to ${file}. A running opsroom applies it on the change of the file (or \`opsroom config reload\`); the wishlist entry then closes and the people who asked are told.\n`;
}

function writePlugin(wish: Wish, out: string | undefined): string {
  const dir = resolve(out ?? pluginNameFor(wish.command));
  if (existsSync(dir)) throw new UserError('E_BAD_ARGS', `${dir} already exists; choose another folder with --out`);
  const files = pluginFiles(wish);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return [
    `Wrote the plugin ${pluginNameFor(wish.command)} for \`${wish.command}\` to ${dir}:`,
    ...Object.keys(files).map((path) => `  ${path}`),
    `Try it: opsroom plugin test ${dir}`,
    `Then: opsroom plugin install ${dir} (the wishlist entry closes when the command appears)`,
    '',
  ].join('\n');
}
