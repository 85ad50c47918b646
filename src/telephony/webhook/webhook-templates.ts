// The generic webhook's request bodies: operator templates with named placeholders, escaped for the body type.
import type { Config } from '../../config.ts';
import { ESCAPE, type Escape, parseTemplate, type Template, TemplateError } from '../../text-template.ts';

/** What an SMS body may name. */
export const SMS_PLACEHOLDERS = ['to', 'text', 'id'] as const;
/** What a call body may name. */
export const CALL_PLACEHOLDERS = ['to', 'id', 'text', 'organization', 'application', 'callback_url'] as const;

/** The Content-Type and the escaping of each `content_type`. */
export const BODY_TYPES = {
  json: { contentType: 'application/json', escape: ESCAPE.json },
  form: { contentType: 'application/x-www-form-urlencoded', escape: ESCAPE.form },
  text: { contentType: 'text/plain; charset=utf-8', escape: ESCAPE.none },
} as const satisfies Record<string, { contentType: string; escape: Escape }>;

export interface WebhookTemplates {
  sms: Template;
  /** Null when no call_body is configured: the webhook then places no calls. */
  call: Template | null;
  contentType: string;
  escape: Escape;
}

/** Headers the webhook sets itself, which the configuration may not replace. */
const RESERVED_HEADERS = ['host', 'content-length', 'content-type', 'transfer-encoding', 'connection'];
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Values that break a template whose placeholder is not inside a JSON string. */
const AWKWARD = 'a "quoted" \\ back\nslash } {';

function checkJson(template: Template, option: string): void {
  const filled = template.parts
    .map((part) => (typeof part === 'string' ? part : BODY_TYPES.json.escape(AWKWARD)))
    .join('');
  try {
    JSON.parse(filled);
  } catch (error) {
    throw new TemplateError(
      `${option} is not JSON once filled in (each placeholder must stand inside a JSON string, like "{{to}}"): ${(error as Error).message}`,
    );
  }
}

/** Parses and checks the configured templates and headers; throws TemplateError naming the option. */
export function webhookTemplates(settings: Config['telephony']['webhook']): WebhookTemplates {
  const bodyType = BODY_TYPES[settings.content_type];
  const sms = parseTemplate(settings.sms_body, SMS_PLACEHOLDERS, 'sms_body');
  const call =
    settings.call_body === undefined
      ? null
      : parseTemplate(settings.call_body, CALL_PLACEHOLDERS, 'call_body');
  if (settings.content_type === 'json') {
    checkJson(sms, 'sms_body');
    if (call) checkJson(call, 'call_body');
  }
  for (const [name, value] of Object.entries(settings.headers)) {
    if (!TOKEN.test(name)) throw new TemplateError(`headers: '${name}' is not a header name`);
    if (RESERVED_HEADERS.includes(name.toLowerCase()))
      throw new TemplateError(`headers: '${name}' is set by Countersign and cannot be configured`);
    if (/[\r\n\0]/.test(value)) throw new TemplateError(`headers: the value of '${name}' must be one line`);
  }
  return { sms, call, contentType: bodyType.contentType, escape: bodyType.escape };
}
