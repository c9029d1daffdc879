/** A file part of a multipart request. */
export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  /** The bytes as uploaded. */
  data: Buffer;
  /** The bytes read as UTF-8, for text files. */
  text: string;
}

/** One REST call the bot made, as the stand-in saw and answered it. */
export interface StandInCall {
  seq: number;
  at: number;
  method: string;
  /** The path after `/api/v10`, percent-encoded as sent. */
  path: string;
  /** `METHOD /template` from Discord's OpenAPI description, e.g. `POST /channels/{channel_id}/messages`; the raw path when none matched. */
  route: string;
  params: Record<string, string>;
  query: Record<string, string>;
  /** Whether the request carried `Authorization: Bot <the token>`. */
  authorized: boolean;
  /** The JSON body (for multipart, the parsed `payload_json`); undefined when there was none. */
  body: any;
  files: RecordedFile[];
  status: number;
  /** The JSON the stand-in answered with (e.g. the created message); undefined for empty answers. */
  response: any;
  /** Why the request does not conform (to the description, or to Discord's rules); empty when it does. */
  problems: string[];
}

export interface Violation {
  call: Pick<StandInCall, 'seq' | 'method' | 'path' | 'route' | 'status'>;
  problems: string[];
}

interface Waiter {
  predicate: (call: StandInCall) => boolean;
  resolve: (call: StandInCall) => void;
}

/** Every REST call, every violation, and promises that resolve when a matching call arrives. */
export class CallLog {
  readonly calls: StandInCall[] = [];
  readonly violations: Violation[] = [];
  private readonly waiters = new Set<Waiter>();

  add(call: StandInCall): void {
    this.calls.push(call);
    if (call.problems.length > 0) {
      this.violations.push({ call: { seq: call.seq, method: call.method, path: call.path, route: call.route, status: call.status }, problems: call.problems });
    }
    for (const waiter of this.waiters) {
      if (waiter.predicate(call)) {
        this.waiters.delete(waiter);
        waiter.resolve(call);
      }
    }
  }

  /** The first call, already made or still to come, that matches; rejects after `timeoutMs` listing what was seen. */
  waitFor(predicate: (call: StandInCall) => boolean, timeoutMs: number): Promise<StandInCall> {
    const done = this.calls.find(predicate);
    if (done) return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (call) => {
          clearTimeout(timer);
          resolve(call);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = this.calls.slice(-10).map((c) => `${c.route} -> ${c.status}`).join('\n  ');
        reject(new Error(`no matching REST call within ${timeoutMs} ms; the last calls were:\n  ${seen || '(none)'}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Throws, listing each one, if any request broke the description or Discord's rules. */
  assertNoViolations(): void {
    if (this.violations.length === 0) return;
    const lines = this.violations.map((v) => `#${v.call.seq} ${v.call.method} ${v.call.path} (${v.call.route}) -> ${v.call.status}\n    ${v.problems.join('\n    ')}`);
    throw new Error(`the bot made ${this.violations.length} request(s) Discord would refuse:\n  ${lines.join('\n  ')}`);
  }
}
