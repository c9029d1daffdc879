import { z } from 'zod';

const jsonValue: z.ZodType<unknown> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]));

const httpExchange = z.object({
  request: z.object({
    method: z.string().default('GET'),
    url: z.string().url(),
    /** Headers that must be present with exactly these values (names case-insensitive); others are ignored. */
    headers: z.record(z.string(), z.string()).default({}),
    /** The body must parse as JSON and equal this. */
    json: jsonValue.optional(),
    /** The body must equal this text. */
    body: z.string().optional(),
  }).strict(),
  response: z.object({
    status: z.number().int().min(100).max(599).default(200),
    headers: z.record(z.string(), z.string()).default({}),
    body: z.string().optional(),
    json: jsonValue.optional(),
  }).strict().default({}),
}).strict();

const runbookExchange = z.object({
  name: z.string(),
  /** The parameters the plugin must pass, exactly. */
  params: z.record(z.string(), jsonValue).default({}),
  result: z.object({
    exitCode: z.number().int().nullable().default(0),
    stdout: z.string().default(''),
    stderr: z.string().default(''),
    /** As the runner reports a run it stopped at its timeout, or output cut at its cap. */
    timedOut: z.boolean().default(false),
    truncated: z.boolean().default(false),
  }).strict().default({}),
}).strict();

const step = z.object({
  /** What the user types (the prefix is optional). */
  say: z.string().optional(),
  /** A webhook delivered to the plugin's onWebhook: body and headers. */
  webhook: z.object({ body: z.string().default(''), headers: z.record(z.string(), z.string()).default({}), query: z.record(z.string(), z.string()).default({}) }).strict().optional(),
  /** A schedule tick delivered to onSchedule. */
  schedule: z.string().optional(),
  as: z.string().default('alice'),
  /** The bot's answers to this step, in order, exactly. */
  replies: z.array(z.string()).optional(),
  /** Each pattern must match one of the answers (a regular expression). */
  replyMatches: z.array(z.string()).optional(),
  /** Each text must occur in one of the answers. */
  replyContains: z.array(z.string()).optional(),
  /** Posts to channel aliases this step must cause: alias -> text (or texts) that must occur in one post. */
  posts: z.record(z.string(), z.union([z.string(), z.array(z.string()).min(1)])).optional(),
  /** The step must post nothing to any channel alias (an ignored webhook, a quiet schedule). */
  noPosts: z.boolean().optional(),
  /** For a webhook step: the status the plugin must answer. */
  status: z.number().int().optional(),
}).strict().refine((s) => [s.say, s.webhook, s.schedule].filter((x) => x !== undefined).length === 1, {
  message: 'a step has exactly one of say, webhook or schedule',
});

/** A scripted conversation for `opsroom plugin test`. */
export const conversationSchema = z.object({
  name: z.string().min(1),
  /** "all" (the default) or a list of grant strings. */
  grants: z.union([z.literal('all'), z.array(z.string())]).default('all'),
  config: z.record(z.string(), jsonValue).default({}),
  /** Secret values for this test only. */
  secrets: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.string()).default({}),
  /** Runbook risk levels to declare (name -> low|medium|high); definitions are scripted below. */
  runbookRisk: z.record(z.string(), z.enum(['low', 'medium', 'high'])).default({}),
  /**
   * Command risk overrides (command name -> low|medium|high), as `approvals.risk` in a configuration: a conversation
   * about what a high-risk command does lowers it here, since approvals are not what it tests.
   */
  commandRisk: z.record(z.string(), z.enum(['low', 'medium', 'high'])).default({}),
  http: z.array(httpExchange).default([]),
  runbooks: z.array(runbookExchange).default([]),
  steps: z.array(step).min(1),
}).strict();

export type Conversation = z.infer<typeof conversationSchema>;
export type HttpExchange = z.infer<typeof httpExchange>;
export type RunbookExchange = z.infer<typeof runbookExchange>;
export type ConversationStep = z.infer<typeof step>;
