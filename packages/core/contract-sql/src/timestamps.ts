import { EPOCH_MILLIS_DIGITS, EPOCH_SECONDS_DIGITS, VALID_INSTANT_RANGE } from '@streampulse/transform';
import type { Dialect } from './dialect.js';
import { nest, type Layer } from './layers.js';
import {
  PORTABLE_TIMESTAMP_FORMS,
  TIMESTAMP_GROUP_ROLES,
  type PortablePattern,
  type TimestampPart,
} from './patterns.js';
import { jsTrim, type RawValue } from './rules.js';

// Section 4 as SQL, in layers: each layer is a SELECT over the one before, so every capture and
// every zone lookup is computed once per row. Column names carry the field's prefix.

const MS_PER_DAY = 86_400_000;

type CalendarForm = keyof typeof TIMESTAMP_GROUP_ROLES;
const CALENDAR_FORMS: readonly CalendarForm[] = ['iso', 'slashedYearFirst', 'dayFirst'];
const FORM_KEY: Record<CalendarForm, string> = { iso: 'iso', slashedYearFirst: 'ymd', dayFirst: 'dmy' };

function anyText(group: string): string {
  return `coalesce(${group}, '')`;
}

/**
 * A cheap necessary condition of each form (the separator it has at a fixed place), so a value
 * is run through one pattern, not four, as the reference dispatches on the fifth character.
 */
function formGuard(p: string, form: string): string {
  const fifth = `substr(${p}_txt, 5, 1)`;
  const third = `substr(${p}_txt, 3, 1)`;
  switch (form) {
    case 'iso':
      return `${fifth} = '-'`;
    case 'ymd':
      return `${fifth} = '/'`;
    case 'dmy':
      return `${third} IN ('/', '-')`;
    default:
      return `${fifth} NOT IN ('-', '/') AND ${third} NOT IN ('/', '-')`;
  }
}

/** The captures of every form over `<p>_txt`, each computed once, only where the form may match. */
function capturesLayer(d: Dialect, p: string): { layer: Layer; group: (form: string, n: number) => string } {
  const items: string[] = [];
  const groups = new Map<string, (n: number) => string>();
  const forms: [string, PortablePattern][] = [
    ...CALENDAR_FORMS.map((f) => [FORM_KEY[f], PORTABLE_TIMESTAMP_FORMS[f]] as [string, PortablePattern]),
    ['epoch', PORTABLE_TIMESTAMP_FORMS.epoch],
  ];
  for (const [key, pattern] of forms) {
    const captures = d.captures(`${p}_txt`, pattern.source, pattern.groups, `${p}_${key}`, formGuard(p, key));
    items.push(...captures.items);
    groups.set(key, captures.group);
  }
  return {
    layer: { items },
    group: (form, n) => (groups.get(form) as (n: number) => string)(n),
  };
}

/** Days from 1970-01-01 to a civil date, integer arithmetic only (years shifted by 400 to stay positive). */
function daysFromCivil(d: Dialect, y: string, m: string, day: string): string {
  const shifted = `(${y} - CASE WHEN ${m} <= 2 THEN 1 ELSE 0 END + 400)`;
  const era = d.div(shifted, '400');
  const yoe = `(${shifted} - ${era} * 400)`;
  const doy = `(${d.div(`153 * (${m} + CASE WHEN ${m} > 2 THEN -3 ELSE 9 END) + 2`, '5')} + ${day} - 1)`;
  const doe = `(${yoe} * 365 + ${d.div(yoe, '4')} - ${d.div(yoe, '100')} + ${doy})`;
  return `(${era} * 146097 + ${doe} - 719468 - 146097)`;
}

function daysInMonth(d: Dialect, y: string, m: string): string {
  const leap = `(${d.mod(y, '4')} = 0 AND (${d.mod(y, '100')} <> 0 OR ${d.mod(y, '400')} = 0))`;
  return `CASE WHEN ${m} = 2 THEN CASE WHEN ${leap} THEN 29 ELSE 28 END WHEN ${m} IN (4, 6, 9, 11) THEN 30 ELSE 31 END`;
}

/** The first three fraction digits as milliseconds (cut, never rounded). */
function fractionMillis(d: Dialect, digits: string): string {
  return `CASE WHEN ${anyText(digits)} = '' THEN 0 ELSE ${d.bigint(`substr(${digits} || '00', 1, 3)`)} END`;
}

/**
 * The layers that turn `raw` into `<p>_ms` (epoch milliseconds, NULL when invalid) for the
 * source zone `sourceZone`. Local times go through the zone with the contract's rule; UTC needs
 * no lookup at all.
 */
export function timestampLayers(d: Dialect, p: string, raw: RawValue, sourceZone: string): Layer[] {
  // A string is trimmed; a JSON number is read as its text; anything else is invalid.
  const textLayer: Layer = {
    items: [
      `CASE WHEN ${raw.kind} = 's' THEN ${jsTrim(d, raw.text)} WHEN ${raw.kind} IN ('i', 'n') THEN ${raw.text} END AS ${p}_txt`,
    ],
  };
  const { layer: capturesOnly, group } = capturesLayer(d, p);

  const matched = (form: string): string => `${anyText(group(form, 1))} <> ''`;
  const part = (form: CalendarForm, role: TimestampPart): string | undefined => {
    const original = TIMESTAMP_GROUP_ROLES[form][role];
    if (original === undefined) return undefined;
    const pattern = PORTABLE_TIMESTAMP_FORMS[form];
    return group(FORM_KEY[form], pattern.groupMap[original] as number);
  };
  const pick = (role: TimestampPart, asNumber: boolean): string => {
    const arms = CALENDAR_FORMS.flatMap((form) => {
      const value = part(form, role);
      if (value === undefined) return [];
      const expr = asNumber
        ? `CASE WHEN ${anyText(value)} = '' THEN 0 ELSE ${d.bigint(value)} END`
        : `nullif(${value}, '')`;
      return [`WHEN ${matched(FORM_KEY[form])} THEN ${expr}`];
    });
    return `CASE ${arms.join(' ')} END`;
  };
  const sameSeparators = CALENDAR_FORMS.flatMap((form) =>
    PORTABLE_TIMESTAMP_FORMS[form].equalGroups.map(
      ([a, b]) =>
        `(NOT (${matched(FORM_KEY[form])}) OR ${group(FORM_KEY[form], a)} = ${group(FORM_KEY[form], b)})`,
    ),
  );
  const calendarMatched = CALENDAR_FORMS.map((f) => `(${matched(FORM_KEY[f])})`).join(' OR ');
  const partsLayer: Layer = {
    items: [
      `(${calendarMatched})${sameSeparators.map((c) => ` AND ${c}`).join('')} AS ${p}_cal`,
      `${pick('year', true)} AS ${p}_y`,
      `${pick('month', true)} AS ${p}_mo`,
      `${pick('day', true)} AS ${p}_d`,
      `${pick('hour', true)} AS ${p}_h`,
      `${pick('minute', true)} AS ${p}_mi`,
      `${pick('second', true)} AS ${p}_s`,
      `${fractionMillis(d, pick('fraction', false))} AS ${p}_frac`,
      `${pick('zone', false)} AS ${p}_zone`,
      `${group('epoch', 1)} AS ${p}_eint`,
      `${group('epoch', 2)} AS ${p}_efrac`,
    ],
  };

  const zone = `${p}_zone`;
  const offsetHours = d.bigint(`substr(${zone}, 2, 2)`);
  const offsetMinutes = `CASE WHEN length(${zone}) > 3 THEN ${d.bigint(`substr(${zone}, length(${zone}) - 1, 2)`)} ELSE 0 END`;
  const sign = `CASE WHEN substr(${zone}, 1, 1) = '-' THEN -1 ELSE 1 END`;
  const validCalendar =
    `${p}_cal AND ${p}_mo BETWEEN 1 AND 12 AND ${p}_d >= 1 AND ${p}_d <= ${daysInMonth(d, `${p}_y`, `${p}_mo`)} ` +
    `AND ${p}_h <= 23 AND ${p}_mi <= 59 AND ${p}_s <= 59`;
  const wall =
    `${daysFromCivil(d, `${p}_y`, `${p}_mo`, `${p}_d`)} * ${MS_PER_DAY} + ${p}_h * 3600000 + ${p}_mi * 60000 + ` +
    `${p}_s * 1000 + ${p}_frac`;
  const epochDigits = `length(${anyText(`${p}_eint`)})`;
  const epochMillis =
    `CASE WHEN ${epochDigits} BETWEEN ${EPOCH_SECONDS_DIGITS.min} AND ${EPOCH_SECONDS_DIGITS.max} ` +
    `THEN ${d.bigint(`${p}_eint`)} * 1000 + ${fractionMillis(d, `${p}_efrac`)} ` +
    `WHEN ${epochDigits} BETWEEN ${EPOCH_MILLIS_DIGITS.min} AND ${EPOCH_MILLIS_DIGITS.max} THEN ${d.bigint(`${p}_eint`)} END`;
  const zoned =
    `CASE WHEN ${zone} IN ('Z', 'z') THEN ${p}_wall WHEN ${offsetHours} <= 23 AND ${offsetMinutes} <= 59 ` +
    `THEN ${p}_wall - ${sign} * (${offsetHours} * 3600000 + ${offsetMinutes} * 60000) END`;
  const wallLayer: Layer = {
    items: [`CASE WHEN ${validCalendar} THEN ${wall} END AS ${p}_wall`],
  };
  const fixedLayer: Layer = {
    items: [
      // An instant fixed without the source zone: an epoch number or a time with its own offset.
      `CASE WHEN ${p}_zone IS NOT NULL THEN ${zoned} WHEN ${anyText(`${p}_eint`)} <> '' THEN ${epochMillis} END AS ${p}_fixed`,
      `${p}_cal AND ${p}_zone IS NULL AS ${p}_local`,
    ],
  };

  const inRange = (ms: string): string =>
    `CASE WHEN ${ms} >= ${VALID_INSTANT_RANGE.fromMillis} AND ${ms} < ${VALID_INSTANT_RANGE.toMillis} THEN ${ms} END`;
  if (sourceZone === 'UTC' || sourceZone === 'Etc/UTC') {
    return [
      textLayer,
      capturesOnly,
      partsLayer,
      wallLayer,
      fixedLayer,
      { items: [`${inRange(`CASE WHEN ${p}_local THEN ${p}_wall ELSE ${p}_fixed END`)} AS ${p}_ms`] },
    ];
  }
  // The contract's zone rule, spelled with "offset at an instant" only, which every engine answers
  // without ambiguity: offsets a day either side bracket any transition; the one that holds at
  // its own candidate wins (both: the earlier instant, an overlap; neither: a gap, where the
  // offset from before the gap moves the time forward by it).
  const offset = (ms: string): string => d.zoneOffsetMillis(sourceZone, ms);
  const guard = (expr: string): string => `CASE WHEN ${p}_local AND ${p}_wall IS NOT NULL THEN ${expr} END`;
  const bracketLayer: Layer = {
    items: [
      `${guard(offset(`${p}_wall - ${MS_PER_DAY}`))} AS ${p}_ob`,
      `${guard(offset(`${p}_wall + ${MS_PER_DAY}`))} AS ${p}_oa`,
    ],
  };
  // Equal brackets (every value away from a transition) always resolve to the one candidate, so
  // the two checks, half the lookups a value costs, run only where the brackets differ; NULL
  // checks fall through to that candidate below.
  const differ = (expr: string): string => `CASE WHEN ${p}_ob <> ${p}_oa THEN ${expr} END`;
  const holdsLayer: Layer = {
    items: [
      `${differ(`${offset(`${p}_wall - ${p}_ob`)} = ${p}_ob`)} AS ${p}_hb`,
      `${differ(`${offset(`${p}_wall - ${p}_oa`)} = ${p}_oa`)} AS ${p}_ha`,
    ],
  };
  const before = `${p}_wall - ${p}_ob`;
  const after = `${p}_wall - ${p}_oa`;
  const local =
    `CASE WHEN ${p}_hb AND ${p}_ha THEN CASE WHEN ${before} <= ${after} THEN ${before} ELSE ${after} END ` +
    `WHEN ${p}_ha THEN ${after} ELSE ${before} END`;
  return [
    textLayer,
    capturesOnly,
    partsLayer,
    wallLayer,
    fixedLayer,
    bracketLayer,
    holdsLayer,
    { items: [`${inRange(`CASE WHEN ${p}_local THEN ${local} ELSE ${p}_fixed END`)} AS ${p}_ms`] },
  ];
}

/**
 * Section 4 alone: over a relation with columns `ts_t` (text) and `ts_k` (kind, see JSON_KINDS),
 * adds `ts_ms`, the instant in epoch milliseconds, NULL when the value is invalid. The same layers
 * the playback plan uses, exposed so a dialect's timestamps can be checked on their own.
 *
 * @example
 * timestampValuesSql(DUCKDB, 'SELECT v AS ts_t, \'s\' AS ts_k FROM samples', 'America/New_York');
 */
export function timestampValuesSql(d: Dialect, records: string, sourceZone: string): string {
  return nest(
    records,
    timestampLayers(d, 'ts', { text: 'ts_t', kind: 'ts_k' }, sourceZone),
    't',
    d.layerFence,
  );
}
