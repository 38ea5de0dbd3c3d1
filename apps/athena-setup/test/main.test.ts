import {
  AthenaClient,
  GetQueryExecutionCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { athenaScript, athenaStatements } from '@streampulse/analytics-sql';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/index.js';
import { captured, fakeClock } from './support.js';

const athena = mockClient(AthenaClient);
afterEach(() => athena.reset());

async function run(argv: string[]) {
  const stdout = captured();
  const stderr = captured();
  const regions: (string | undefined)[] = [];
  const code = await main(argv, {
    stdout,
    stderr,
    clock: fakeClock(),
    athena: (region) => {
      regions.push(region);
      return new AthenaClient({ region: region ?? 'us-east-1' });
    },
  });
  return { code, stdout: stdout.text(), stderr: stderr.text(), regions };
}

describe('athena-setup print', () => {
  it('prints the CSV statements for the lake, as one script', async () => {
    const result = await run([
      'print',
      '--lake',
      's3://acme-lake/prod/',
      '--format',
      'csv',
      '--years',
      '2024-2030',
    ]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      athenaScript(
        athenaStatements({
          bucket: 'acme-lake',
          prefix: 'prod',
          format: 'csv',
          years: { first: 2024, last: 2030 },
        }),
      ),
    );
  });

  it.each([
    [['print', '--lake', './lake'], '--lake must be an s3://bucket[/prefix] root, got "./lake"'],
    [['print'], '--lake is required (see --help)'],
    [['print', '--lake', 's3://b', '--format', 'orc'], '--format must be parquet or csv, got "orc"'],
    [['print', '--lake', 's3://b', '--years', '2030'], '--years must be like 2020-2035, got "2030"'],
    [['apply', '--lake', 's3://b'], '--workgroup is required (see --help)'],
  ])('refuses %j in one line, exit 1', async (argv, message) => {
    const result = await run(argv);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(`athena-setup ${argv[0]}: ${message}\n`);
  });
});

describe('athena-setup apply', () => {
  it('applies every statement and says which succeeded', async () => {
    let n = 0;
    athena.on(StartQueryExecutionCommand).callsFake(() => ({ QueryExecutionId: `q${++n}` }));
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    const result = await run([
      'apply',
      '--lake',
      's3://acme-lake',
      '--workgroup',
      'analytics',
      '--output-location',
      's3://acme-results/',
      '--region',
      'ap-south-1',
    ]);
    const count = athenaStatements({ bucket: 'acme-lake' }).length;
    expect(result).toMatchObject({ code: 0, stderr: '', regions: ['ap-south-1'] });
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('ok  database streampulse  (query q1)');
    expect(lines.at(-1)).toBe(`done: ${count} statements applied in workgroup analytics`);
    expect(athena.commandCalls(StartQueryExecutionCommand)[1]?.args[0].input.ResultConfiguration).toEqual({
      OutputLocation: 's3://acme-results/',
    });
  });

  it('exits 1 with the reason of a FAILED statement on one line', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q9' });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        Status: { State: 'FAILED', StateChangeReason: 'Insufficient permissions to execute the query.' },
      },
    });
    const result = await run(['apply', '--lake', 's3://acme-lake', '--workgroup', 'analytics']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'athena-setup apply: database streampulse FAILED: Insufficient permissions to execute the query. (query q9)\n',
    );
  });

  it('exits 1 when a statement outlives --timeout-seconds', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q1' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'QUEUED' } } });
    athena.on(StopQueryExecutionCommand).resolves({});
    const result = await run([
      'apply',
      '--lake',
      's3://acme-lake',
      '--workgroup',
      'analytics',
      '--timeout-seconds',
      '5',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'athena-setup apply: database streampulse did not finish within 5 s (query q1, last state QUEUED); it was asked to stop\n',
    );
  });
});

describe('athena-setup', () => {
  it('prints its help with --help, and to stderr with exit 1 when no command is given', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: athena-setup <print|apply|backfill-aggregates|smoke>');
    const none = await run([]);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(help.stdout);
  });
});
