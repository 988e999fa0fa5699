/** Reading our server-rendered pages in tests the way a browser would submit them. */

export function unescapeHtml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function attr(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}(?:="([^"]*)")?(?=[\\s>/])`).exec(tag);
  if (!match) return undefined;
  return unescapeHtml(match[1] ?? '');
}

export interface FormFieldsOptions {
  /** Read the POST form with this action (and fail without one); the page's first POST form otherwise. */
  action?: string;
  /**
   * Keep disabled controls and file inputs too. The designer's tests read its whole editor form
   * this way, the preview's disabled controls included.
   */
  everyControl?: boolean;
}

/**
 * What a browser submits for a POST form of a page (without any submit button): inputs, checked
 * checkboxes and radios, selected options and textareas. Our markup only; not a general parser.
 */
export function formFields(html: string, options: FormFieldsOptions = {}): Array<[string, string]> {
  const start = html.indexOf(
    options.action === undefined ? '<form method="post"' : `<form method="post" action="${options.action}"`,
  );
  if (options.action !== undefined && start < 0) throw new Error(`no form posting to ${options.action}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const fields: Array<[string, string]> = [];
  const pattern = /<input\b[^>]*>|<select\b[^>]*>[\s\S]*?<\/select>|<textarea\b[^>]*>([\s\S]*?)<\/textarea>/g;
  for (const match of form.matchAll(pattern)) {
    const whole = match[0];
    const tag = /^<[^>]*>/.exec(whole)?.[0] ?? '';
    const name = attr(tag, 'name');
    if (!name || (!options.everyControl && attr(tag, 'disabled') !== undefined)) continue;
    if (whole.startsWith('<input')) {
      const type = attr(tag, 'type') ?? 'text';
      if (type === 'file' && !options.everyControl) continue;
      if ((type === 'checkbox' || type === 'radio') && attr(tag, 'checked') === undefined) continue;
      fields.push([name, attr(tag, 'value') ?? (type === 'checkbox' ? 'on' : '')]);
    } else if (whole.startsWith('<select')) {
      const options = [...whole.matchAll(/<option\b[^>]*>/g)].map((o) => o[0]);
      const chosen = options.find((o) => attr(o, 'selected') !== undefined) ?? options[0];
      if (chosen) fields.push([name, attr(chosen, 'value') ?? '']);
    } else {
      fields.push([name, unescapeHtml(match[1] ?? '')]);
    }
  }
  return fields;
}

/** The CSRF token of a page's form. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF field on the page');
  return match[1];
}
