import { escapeHtml } from './escape.js';

/** Attribute values; numbers are rounded to one decimal to keep the file small. */
export type Attributes = Readonly<Record<string, string | number | undefined>>;

const value = (v: string | number): string =>
  typeof v === 'number' ? String(Math.round(v * 10) / 10) : escapeHtml(v);

/**
 * One SVG (or HTML) element as text; attribute values are escaped, children are taken as
 * already-safe markup (build text children with {@link text}).
 *
 * @example
 * element('rect', { x: 1, width: 2.345 }); // '<rect x="1" width="2.3"/>'
 */
export function element(tag: string, attributes: Attributes, ...children: string[]): string {
  const open = openTag(tag, attributes);
  return children.length === 0 ? `${open}/>` : `${open}>${children.join('')}</${tag}>`;
}

function openTag(tag: string, attributes: Attributes): string {
  let open = `<${tag}`;
  for (const [name, v] of Object.entries(attributes)) if (v !== undefined) open += ` ${name}="${value(v)}"`;
  return open;
}

/**
 * An SVG `<text>` with escaped content.
 *
 * @example
 * text({ x: 0, y: 10 }, 'A & B'); // '<text x="0" y="10">A &amp; B</text>'
 */
export function text(attributes: Attributes, content: string): string {
  return `${openTag('text', attributes)}>${escapeHtml(content)}</text>`;
}

/** An SVG `<title>`: the tooltip browsers show on hover, and what screen readers announce. */
export function tooltip(content: string): string {
  return `<title>${escapeHtml(content)}</title>`;
}

/**
 * Shortens a label to `max` characters with an ellipsis (the full text stays in a tooltip).
 *
 * @example
 * clip('A very long title indeed', 10); // 'A very lo…'
 */
export function clip(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, max - 1).trimEnd()}…`;
}
