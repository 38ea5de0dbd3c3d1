import { glueWorkerCountSchema, glueWorkerTypeSchema, timeZoneSchema } from '@streampulse/schema';
import { z } from 'zod';
import { InfraError } from './errors.js';

// `-c name=value` gives strings and cdk.json gives JSON values: a count may come as either.
const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
// S3's rules for a bucket name (general purpose buckets): 3-63 characters, lower case, digits,
// dots and hyphens, starting and ending with a letter or digit, not shaped like an IP address.
const bucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'a bucket name is 3-63 lower-case letters, digits, . and -')
  .refine((name) => !/^\d+\.\d+\.\d+\.\d+$/.test(name) && !name.includes('..'), 'not a valid bucket name');

/**
 * The stack's settings: CDK context (`cdk.json`'s `context`, or `-c name=value`), each with a
 * default. One table of them is in `apps/infra/README.md`.
 *
 * @example
 * stackSettingsSchema.parse({ alarmEmail: 'oncall@example.com', glueWorkerCount: '4' }).glueWorkerCount; // 4
 */
export const stackSettingsSchema = z.object({
  /** Subscribed (e-mail, to confirm) to the alarm topic; none when absent. */
  alarmEmail: z.email().optional(),
  /** RDS instance class, e.g. `db.t4g.micro`. */
  databaseInstanceClass: z
    .string()
    .regex(/^db\.[a-z0-9-]+\.[a-z0-9]+$/, 'an RDS instance class such as db.t3.micro')
    .default('db.t3.micro'),
  /** GiB of gp2 storage of the database. */
  databaseStorageGiB: count(20, 1000).default(20),
  glueWorkerType: glueWorkerTypeSchema.default('G.1X'),
  glueWorkerCount: z.coerce.number().pipe(glueWorkerCountSchema).default(2),
  /** ETL runs at once (one per playback file); more wait in Glue's queue. */
  etlMaxConcurrentRuns: count(1, 100).default(10),
  /** Zone of raw timestamps written without an offset. */
  sourceTimeZone: timeZoneSchema.default('UTC'),
  /** Zone whose calendar day is a session's event_date and the day each daily run aggregates. */
  reportingTimeZone: timeZoneSchema.default('Asia/Kolkata'),
  /** When the daily aggregation runs: an EventBridge cron (UTC); the default is 02:00 IST. */
  dailyAggregateSchedule: z
    .string()
    .regex(/^cron\(\S+( \S+){5}\)$/, 'an EventBridge cron expression such as cron(30 20 * * ? *)')
    .default('cron(30 20 * * ? *)'),
  /** Earlier days each daily run aggregates again. */
  lookbackDays: count(0, 31).default(1),
  /** Each daily run also aggregates the days the ETL runs of this many days recorded (0: off). */
  changedDaysWindowDays: count(0, 30).default(7),
  /** Days rejected rows (raw personal data) stay under `rejected/`. */
  rejectedRetentionDays: count(1, 3650).default(30),
  /** Name of the lake bucket (default: CloudFormation generates one). */
  lakeBucketName: bucketName.optional(),
  /** Name of the Athena query results bucket (default: generated). */
  athenaResultsBucketName: bucketName.optional(),
});

/**
 * The settings after validation and defaults.
 *
 * @example
 * const settings: StackSettings = parseStackSettings({});
 */
export type StackSettings = z.infer<typeof stackSettingsSchema>;
/** The settings as given: every one optional, counts as numbers or strings. */
export type StackSettingsInput = z.input<typeof stackSettingsSchema>;

/** The context keys the stack reads, as `-c` takes them. */
export const STACK_SETTING_NAMES = Object.keys(stackSettingsSchema.shape) as (keyof StackSettings)[];

/**
 * Validates settings; a bad or unknown one throws an {@link InfraError} `usage` naming the key.
 * Unknown keys are refused because a misspelt `-c alarmEmial=...` would otherwise be ignored.
 *
 * @example
 * parseStackSettings({ glueWorkerType: 'G.3X' }); // throws 'glueWorkerType: Invalid option: ...'
 */
export function parseStackSettings(input: Record<string, unknown>): StackSettings {
  const unknown = Object.keys(input).filter((key) => !(STACK_SETTING_NAMES as string[]).includes(key));
  if (unknown.length > 0) {
    throw new InfraError(
      'usage',
      `unknown setting ${unknown.join(', ')}; the settings are ${STACK_SETTING_NAMES.join(', ')}`,
    );
  }
  const result = stackSettingsSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new InfraError('usage', `${String(issue?.path[0])}: ${issue?.message ?? 'invalid value'}`);
}

/**
 * The context a synth or deploy runs with: `cdk.json`'s `context`, then each `-c name=value`
 * (or `--context name=value`) of the command line over it. Keys CDK itself sets in cdk.json
 * (`@aws-cdk/...` feature flags) are kept apart from the stack's settings by their `@`.
 *
 * @example
 * contextFromArgs(['-c', 'alarmEmail=a@example.com'], { context: { glueWorkerCount: 4 } });
 * // { glueWorkerCount: 4, alarmEmail: 'a@example.com' }
 */
export function contextFromArgs(
  argv: readonly string[],
  cdkJson: { context?: Record<string, unknown> } = {},
): Record<string, unknown> {
  const context: Record<string, unknown> = { ...cdkJson.context };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    let pair: string | undefined;
    if (arg === '-c' || arg === '--context') pair = argv[++i];
    else if (arg.startsWith('--context=')) pair = arg.slice('--context='.length);
    else continue;
    const at = pair?.indexOf('=') ?? -1;
    if (pair === undefined || at < 1) {
      throw new InfraError('usage', `${arg} takes name=value, got ${JSON.stringify(pair ?? '')}`);
    }
    context[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return context;
}

/**
 * The stack's own settings out of a context: everything but the keys CDK and its CLI set
 * (`@aws-cdk/...` feature flags, `aws:cdk:...`, `cli-telemetry`).
 *
 * @example
 * stackContext({ '@aws-cdk/core:newStyleStackSynthesis': true, 'aws:cdk:enable-path-metadata': true, lookbackDays: 2 }); // { lookbackDays: 2 }
 */
export function stackContext(context: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(context).filter(
      ([key]) => !key.startsWith('@') && !key.includes(':') && key !== 'cli-telemetry',
    ),
  );
}
