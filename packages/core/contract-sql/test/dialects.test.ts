import { pipelineSettingsSchema } from '@streampulse/schema';
import { describe, expect, it } from 'vitest';
import {
  compileAggregateJobPlan,
  compileAggregateSql,
  compileEtlJobPlan,
  dedupeSql,
  dimensionSql,
  DUCKDB,
  LOAD_LOCK_SQL,
  mergeStagedRowsSql,
  migrationSteps,
  PLAYBACK_FIELDS,
  playbackSql,
  portablePattern,
  POSTGRES,
  processedColumnsSql,
  recordFieldsSql,
  SPARK,
  TRINO,
  type Dialect,
} from '../src/index.js';
import { TIMESTAMP_FORMS } from '@streampulse/transform';
import { openDuckdb, rowsOf } from './support.js';

const ALL_DIALECTS: readonly Dialect[] = [DUCKDB, POSTGRES, SPARK, TRINO];
const settings = pipelineSettingsSchema.parse({
  sourceTimeZone: 'America/New_York',
  reportingTimeZone: 'Asia/Kolkata',
});

/** Each dialect's rendering of one primitive, by dialect name. */
function rendered(render: (d: Dialect) => string): Record<string, string> {
  return Object.fromEntries(ALL_DIALECTS.map((d) => [d.name, render(d)]));
}

describe('what differs between dialects', () => {
  it('string literals: Spark escapes backslashes and quotes with a backslash, the others double quotes', () => {
    expect(rendered((d) => d.text("a\\b'c"))).toEqual({
      duckdb: "'a\\b''c'",
      postgres: "'a\\b''c'",
      spark: "'a\\\\b\\'c'",
      trino: "'a\\b''c'",
    });
  });

  it('regular expressions: each engine its own match operator', () => {
    expect(rendered((d) => d.matches('x', '^a$'))).toEqual({
      duckdb: "regexp_matches(x, '^a$')",
      postgres: "(x ~ '^a$')",
      spark: "(x RLIKE '^a$')",
      trino: "regexp_like(x, '^a$')",
    });
  });

  it('captures: one evaluation for all groups in DuckDB and PostgreSQL, one per group in Spark and Trino', () => {
    const captures = rendered((d) => d.captures('x', '(a)(b)', 2, 'm').items.join(' | '));
    expect(captures.duckdb).toBe("regexp_extract(x, '(a)(b)', ['g1', 'g2']) AS m");
    expect(captures.postgres).toBe("regexp_match(x, '(a)(b)') AS m");
    expect(captures.spark).toBe(
      "regexp_extract(x, '(a)(b)', 1) AS m_g1 | regexp_extract(x, '(a)(b)', 2) AS m_g2",
    );
    expect(captures.trino).toBe(captures.spark);
    expect(rendered((d) => d.captures('x', '(a)', 1, 'm').group(1))).toEqual({
      duckdb: 'm.g1',
      postgres: 'm[1]',
      spark: 'm_g1',
      trino: 'm_g1',
    });
  });

  it('character classes: \\x{} escapes in RE2 and Java, \\u in PostgreSQL; letters as [:alpha:] there', () => {
    expect(rendered((d) => d.codePointClass([0x09, 0x0a, 0x0b, 0xa0]))).toEqual({
      duckdb: '\\x{0009}-\\x{000B}\\x{00A0}',
      postgres: '\\u0009-\\u000b\\u00a0',
      spark: '\\x{0009}-\\x{000B}\\x{00A0}',
      trino: '\\x{0009}-\\x{000B}\\x{00A0}',
    });
    expect(rendered((d) => d.letterClass)).toEqual({
      duckdb: '\\pL',
      postgres: '[:alpha:]',
      spark: '\\p{L}',
      trino: '\\p{L}',
    });
  });

  it('trimming a set of characters', () => {
    expect(rendered((d) => d.trimCodePoints('x', [32, 160]))).toEqual({
      // DuckDB's trim with a character set is slow: a regex check skips values with nothing to trim.
      duckdb:
        "CASE WHEN regexp_matches(x, '^[\\x{0020}\\x{00A0}]|[\\x{0020}\\x{00A0}]$') THEN trim(x, chr(32) || chr(160)) ELSE x END",
      postgres: 'btrim(x, chr(32) || chr(160))',
      spark: "trim(BOTH '\\u0020\\u00a0' FROM x)",
      trino: 'trim(BOTH chr(32) || chr(160) FROM x)',
    });
  });

  it('capitalizing letter runs: lists and lambdas, or a set-returning function in PostgreSQL', () => {
    const capitalize = rendered((d) => d.capitalizeLetterRuns('x'));
    expect(capitalize.duckdb).toContain('list_transform(regexp_extract_all(x');
    expect(capitalize.postgres).toContain(
      "FROM regexp_matches(x, '[[:alpha:]]+|[^[:alpha:]]+', 'g') WITH ORDINALITY",
    );
    expect(capitalize.spark).toContain(
      "array_join(transform(regexp_extract_all(x, '(\\\\p{L}+|\\\\P{L}+)', 1), w ->",
    );
    expect(capitalize.trino).toContain("array_join(transform(regexp_extract_all(x, '\\p{L}+|\\P{L}+'), w ->");
  });

  it('integer division truncating toward zero', () => {
    expect(rendered((d) => d.div('a', 'b'))).toEqual({
      duckdb: '(a) // (b)',
      postgres: 'div(a, b)',
      spark: '((a) div (b))',
      trino: '((a) / (b))',
    });
  });

  it('the offset of a zone at an instant: the one question every engine answers without ambiguity', () => {
    const offset = rendered((d) => d.zoneOffsetMillis('Europe/Berlin', 'ms'));
    expect(offset.duckdb).toContain("timezone('Europe/Berlin', timezone('UTC', epoch_ms(");
    expect(offset.postgres).toContain("AT TIME ZONE 'Europe/Berlin'");
    expect(offset.spark).toBe(
      "(unix_millis(from_utc_timestamp(timestamp_millis(ms), 'Europe/Berlin')) - (ms))",
    );
    expect(offset.trino).toContain(
      "timezone_hour(at_timezone(from_unixtime_nanos(CAST(ms AS BIGINT) * 1000000), 'Europe/Berlin'))",
    );
  });

  it('dates: building one from a day count, and writing it as YYYY-MM-DD', () => {
    expect(rendered((d) => d.dateText(d.epochDayDate('n')))).toEqual({
      duckdb: "strftime((DATE '1970-01-01' + CAST(n AS INTEGER)), '%Y-%m-%d')",
      postgres: "to_char((DATE '1970-01-01' + CAST(n AS integer)), 'YYYY-MM-DD')",
      spark: "date_format(date_add(DATE '1970-01-01', CAST(n AS INT)), 'yyyy-MM-dd')",
      trino: "CAST(date_add('day', n, DATE '1970-01-01') AS VARCHAR)",
    });
  });

  it('instants from epoch milliseconds', () => {
    expect(rendered((d) => d.millisInstant('ms'))).toEqual({
      duckdb: "timezone('UTC', epoch_ms(CAST(ms AS BIGINT)))",
      postgres: "(timestamptz 'epoch' + (ms) * interval '1 millisecond')",
      spark: 'timestamp_millis(ms)',
      trino: 'from_unixtime_nanos(CAST(ms AS BIGINT) * 1000000)',
    });
  });

  it('JSON: ordered keys of an object, each engine its own way', () => {
    const keys = rendered((d) => d.firstKeyFolding('j', ['sessionid']));
    expect(keys.duckdb).toContain('list_filter(json_keys(j)');
    expect(keys.postgres).toContain('json_object_keys(CAST(j AS json)) WITH ORDINALITY');
    expect(keys.spark).toContain('try_element_at(filter(json_object_keys(j)');
    expect(keys.trino).toContain("json_query(j, 'lax $.keyvalue().name' WITH ARRAY WRAPPER)");
  });

  it('JSON arrays: one parse per file, elements numbered from 1 in array order', () => {
    const arrays = rendered((d) => d.jsonArrayRecords('value', 'f', 'fail'));
    expect(arrays.duckdb).toContain(
      'generate_subscripts(arr, 1) AS row_num, CAST(unnest(arr) AS VARCHAR) AS body',
    );
    expect(arrays.postgres).toContain(
      'json_array_elements(CAST(value AS json)) WITH ORDINALITY AS e(body, n)',
    );
    // Spark alone would read a broken array as no rows: it is told to fail instead.
    expect(arrays.spark).toContain("posexplode(from_json(value, 'array<string>', map('mode', 'FAILFAST')))");
    expect(arrays.trino).toContain('UNNEST(CAST(json_parse(value) AS ARRAY(JSON))) WITH ORDINALITY');
    // A dimension file that is not an array gives no rows instead (the runners' engines).
    const lenient = rendered((d) => d.jsonArrayRecords('value', 'f', 'empty'));
    expect(lenient.duckdb).toContain('TRY_CAST(TRY_CAST(value AS JSON) AS JSON[])');
    expect(lenient.spark).toContain("map('mode', 'PERMISSIVE')");
    expect(lenient.trino).toContain('UNNEST(try(CAST(json_parse(value) AS ARRAY(JSON))))');
  });

  it('lines: ended by LF, CRLF or CR, numbered from 1, each engine its own way', () => {
    const lines = rendered((d) => d.splitLines('value', 'f'));
    expect(lines.duckdb).toContain('generate_subscripts(parts, 1) AS n, unnest(parts) AS line');
    expect(lines.duckdb).toContain(String.raw`regexp_split_to_array(value, '\r\n|\r|\n')`);
    expect(lines.postgres).toContain(
      String.raw`unnest(regexp_split_to_array(value, '\r\n|\r|\n')) WITH ORDINALITY AS s(line, n)`,
    );
    expect(lines.spark).toContain(String.raw`posexplode(split(value, '\\r\\n|\\r|\\n'))`);
    expect(lines.trino).toContain(
      String.raw`UNNEST(regexp_split(value, '\r\n|\r|\n')) WITH ORDINALITY AS s(line, n)`,
    );
  });

  it('a file read whole into fields: every match of one pattern, lists in order, an error on demand', () => {
    const tokens = rendered((d) => d.regexpTokens('value', 'f', "'p'"));
    expect(tokens.duckdb).toContain(
      "regexp_extract_all(value, 'p', 1) AS f, regexp_extract_all(value, 'p', 2) AS t",
    );
    expect(tokens.postgres).toContain("regexp_matches(value, 'p', 'g') WITH ORDINALITY AS m(r, i)");
    expect(tokens.spark).toContain('posexplode(arrays_zip(f, t)) AS (pos, tok)');
    expect(tokens.trino).toContain('UNNEST(a.f, a.t) WITH ORDINALITY AS m(field, term, i)');
    expect(rendered((d) => d.orderedList('v', 'i'))).toEqual({
      duckdb: 'list(v ORDER BY i)',
      postgres: 'array_agg(v ORDER BY i)',
      // collect_list keeps no order of its own.
      spark: "transform(array_sort(collect_list(named_struct('o', i, 'v', v))), x -> x.v)",
      trino: 'array_agg(v ORDER BY i)',
    });
    expect(rendered((d) => d.listItem('l', 2))).toEqual({
      duckdb: 'l[2]',
      postgres: '(l)[2]',
      spark: 'try_element_at(l, 2)',
      trino: 'element_at(l, 2)',
    });
    const errors = rendered((d) => d.raiseError('bad', 'w'));
    expect(errors.duckdb).toBe("CAST(error('bad') AS BOOLEAN)");
    expect(errors.spark).toBe("CAST(raise_error('bad') AS BOOLEAN)");
    expect(errors.trino).toBe("CAST(fail('bad') AS BOOLEAN)");
    expect(errors.postgres).toContain("CAST('bad' || left(CAST(w AS text), 0) AS integer)");
  });

  it('a JSON object: Jackson (Spark) reads one value and ignores what follows, so Spark also asks for exactly one', () => {
    expect(SPARK.jsonIsObject('b')).toBe(
      "(json_object_keys(b) IS NOT NULL AND coalesce(json_array_length(concat('[', b, ']')) = 1, false))",
    );
  });

  it('JSON text for the quarantine: a text as a JSON string, a JSON text as its value', () => {
    expect(rendered((d) => d.jsonString('v'))).toEqual({
      duckdb: "coalesce(CAST(to_json(CAST(v AS VARCHAR)) AS VARCHAR), 'null')",
      postgres: "coalesce(CAST(to_json(CAST(v AS text)) AS text), 'null')",
      spark: "regexp_extract(to_json(array(CAST(v AS STRING))), '(?s)^\\\\[(.*)\\\\]$', 1)",
      trino: "coalesce(json_format(CAST(CAST(v AS VARCHAR) AS JSON)), 'null')",
    });
    const values = rendered((d) => d.jsonValue('v'));
    expect(values.duckdb).toBe('CASE WHEN json_valid(v) THEN CAST(json(v) AS VARCHAR) END');
    // Spark writes the value Jackson parsed again, and only when the text is that one value.
    expect(values.spark).toContain("ELSE get_json_object(v, '$') END");
    expect(values.spark).toContain(
      "CASE WHEN NOT coalesce(json_array_length(concat('[', v, ']')) = 1, false) THEN NULL",
    );
    expect(values.trino).toBe('json_format(try(json_parse(v)))');
  });

  it('ordering by code point: PostgreSQL needs the C collation, the others compare bytes already', () => {
    expect(rendered((d) => d.binaryOrder('region'))).toEqual({
      duckdb: 'region',
      postgres: 'region COLLATE "C"',
      spark: 'region',
      trino: 'region',
    });
  });

  it('layers: only PostgreSQL needs a fence to keep each layer from being inlined', () => {
    expect(rendered((d) => d.layerFence)).toEqual({
      duckdb: '',
      postgres: ' OFFSET 0',
      spark: '',
      trino: '',
    });
  });
});

describe('portablePattern', () => {
  it('turns the day-first backreference into a copied group and an equality', () => {
    const day = portablePattern(TIMESTAMP_FORMS.dayFirst);
    expect(day.source).not.toMatch(/\\\d/);
    expect(day.equalGroups).toEqual([[2, 4]]);
    expect(day.groupMap).toEqual([0, 1, 2, 3, 5, 6, 7, 8]);
    expect(new RegExp(day.source).test('09/03/2025 01:30')).toBe(true);
  });

  it('leaves a pattern without backreferences as it is', () => {
    expect(portablePattern(TIMESTAMP_FORMS.iso).source).toBe(TIMESTAMP_FORMS.iso.source);
  });
});

function etlPlanSql(d: Dialect): string {
  const csv = recordFieldsSql(
    d,
    {
      format: 'delimited',
      relation: 'rec',
      header: ['Session ID', 'user_id', 'video_id', 'device', 'start', 'end'],
    },
    0,
    PLAYBACK_FIELDS,
  );
  const json = recordFieldsSql(d, { format: 'json', relation: 'lines' }, 1, PLAYBACK_FIELDS);
  const results = playbackSql(d, `${csv} UNION ALL ${json}`, settings, {
    content: 'dim_content',
    users: 'dim_user',
  });
  const dims = [
    dimensionSql(
      d,
      'content',
      recordFieldsSql(d, { format: 'json', relation: 'c' }, 0, ['content_id', 'title', 'genre']),
    ),
    dimensionSql(
      d,
      'users',
      recordFieldsSql(d, { format: 'delimited', relation: 'u', header: ['userId', 'Region'] }, 0, [
        'user_id',
        'region',
      ]),
    ),
  ];
  return [results, processedColumnsSql(d, dedupeSql('SELECT * FROM results')), ...dims].join(';\n\n');
}

describe.each([SPARK, TRINO])('the $name rendering', (d) => {
  it('of the ETL plan stays as reviewed', () => {
    expect(etlPlanSql(d)).toMatchSnapshot();
  });

  it('of both aggregations stays as reviewed', () => {
    expect(compileAggregateSql(d, { source: 'processed', day: '2025-03-14' })).toMatchSnapshot();
  });
});

describe('job plans', () => {
  it('carry every input, statement and output a generic runner needs, as JSON', () => {
    const plan = compileEtlJobPlan(SPARK, {
      lakeRoot: 's3://acme-lake/prod',
      settings,
      files: [
        {
          key: 'raw/content_metadata/c.csv',
          dataset: 'content',
          format: 'csv',
          header: ['content_id', 'title', 'genre'],
        },
        { key: 'raw/user_profiles/u.json', dataset: 'users', format: 'json-array' },
        {
          key: 'raw/playback/a.tsv',
          dataset: 'playback',
          format: 'tsv',
          header: ['session_id', 'user_id', 'content_id', 'start', 'end'],
        },
        { key: 'raw/playback/b.jsonl', dataset: 'playback', format: 'jsonl' },
      ],
    });
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
    // Every file is read whole: the plan itself splits it into records by the contract's rules.
    expect(plan.inputs.map((i) => [i.view, i.reader])).toEqual([
      ['in_0', 'wholetext'],
      ['in_1', 'wholetext'],
      ['in_2', 'wholetext'],
      ['in_3', 'wholetext'],
    ]);
    expect(plan.statements.map((s) => s.view)).toEqual([
      'content_fields',
      'user_fields',
      'playback_fields',
      'dim_content',
      'dim_user',
      'playback_results',
      'processed',
      'staged',
      'raw_records',
      'rejected',
    ]);
    // The run's own staging table, the schema brought up to date before it, the loader's merge
    // under the load lock after it.
    expect(plan.outputs[0]).toMatchObject({
      kind: 'jdbc',
      view: 'staged',
      table: 'processed.glue_staging_{run_id}',
      before: migrationSteps().map((step) => step.sql),
      after: [LOAD_LOCK_SQL, mergeStagedRowsSql('processed.glue_staging_{run_id}', 'clock_timestamp()')],
    });
    expect(plan).toMatchSnapshot();
  });

  it("with a changed-days key, write the processed rows' distinct days after the merge", async () => {
    const files = [{ key: 'raw/playback/b.jsonl', dataset: 'playback' as const, format: 'jsonl' as const }];
    const without = compileEtlJobPlan(SPARK, { lakeRoot: 's3://acme-lake', settings, files });
    expect(without.outputs.map((o) => o.view)).toEqual(['staged', 'rejected']);
    const plan = compileEtlJobPlan(DUCKDB, {
      lakeRoot: 's3://acme-lake',
      settings,
      files,
      changedDaysKey: 'state/changed-days/b.jsonl/',
    });
    expect(plan.outputs.map((o) => o.view)).toEqual(['staged', 'rejected', 'changed_days']);
    expect(plan.outputs[2]).toEqual({
      kind: 'json',
      view: 'changed_days',
      path: 's3://acme-lake/state/changed-days/b.jsonl/',
    });
    const changedDays = plan.statements.find((s) => s.view === 'changed_days')?.sql ?? '';
    const { connection, close } = await openDuckdb();
    try {
      await connection.run(
        "CREATE TABLE processed AS SELECT * FROM (VALUES (DATE '2025-03-14'), (DATE '2025-03-14'), (DATE '2025-03-09')) AS t(event_date)",
      );
      const days = await rowsOf(connection, `${changedDays} ORDER BY event_date`);
      expect(days).toEqual([{ event_date: '2025-03-09' }, { event_date: '2025-03-14' }]);
    } finally {
      close();
    }
  });

  it('read one day per JDBC query with the date filter in the query, one Parquet object per table and day', () => {
    const plan = compileAggregateJobPlan(SPARK, { lakeRoot: 's3://acme-lake', days: ['2025-03-14'] });
    expect(plan.inputs).toEqual([
      {
        view: 'processed_0',
        reader: 'jdbc',
        query: "SELECT * FROM processed.processed_data WHERE event_date = DATE '2025-03-14'",
      },
    ]);
    expect(plan.outputs).toEqual([
      {
        kind: 'parquet',
        view: 'daily_engagement_0',
        path: 's3://acme-lake/analytics/daily_aggregates/year=2025/month=03/day=14/part-0.parquet',
      },
      {
        kind: 'parquet',
        view: 'daily_active_users_0',
        path: 's3://acme-lake/analytics/daily_active_users/year=2025/month=03/day=14/part-0.parquet',
      },
    ]);
  });
});
