import type { z } from 'zod';

/**
 * What {@link parseEnvironment} answers: the settings, or one line naming the variable at fault.
 *
 * @example
 * const result: EnvironmentResult<{ JOB: string }> = { success: false, message: 'JOB is not set' };
 */
export type EnvironmentResult<T> = { success: true; data: T } | { success: false; message: string };

/**
 * Reads a Lambda's environment through a zod schema of its variables. Values are trimmed and an
 * empty one counts as unset (a blank in a console form is no setting), so the schema sees only
 * what was really given; the first problem becomes one line that starts with the variable's
 * name, followed by the schema's message (write messages such as `is not set: ...`).
 *
 * @example
 * const schema = z.object({ JOB_NAME: z.string({ error: 'is not set: name the Glue job' }) });
 * parseEnvironment(schema, {}); // { success: false, message: 'JOB_NAME is not set: name the Glue job' }
 */
export function parseEnvironment<Schema extends z.ZodType>(
  schema: Schema,
  env: Readonly<Record<string, string | undefined>>,
): EnvironmentResult<z.output<Schema>> {
  const given = Object.fromEntries(
    Object.entries(env).flatMap(([name, value]) => {
      const text = value?.trim();
      return text ? [[name, text]] : [];
    }),
  );
  const result = schema.safeParse(given);
  if (result.success) return { success: true, data: result.data };
  const issue = result.error.issues[0];
  const name = issue?.path[0] === undefined ? 'the environment' : String(issue.path[0]);
  return { success: false, message: `${name} ${issue?.message ?? 'is not valid'}` };
}
