const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text made safe for HTML and SVG, both as element content and inside a quoted attribute.
 *
 * @example
 * escapeHtml('Chai & "Chaos" <Live>'); // 'Chai &amp; &quot;Chaos&quot; &lt;Live&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}
