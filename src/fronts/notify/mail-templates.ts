// E-mail templates the operator can edit: `<name>.txt` (a Subject line, a blank line, the text) and `<name>.html`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESCAPE, fillTemplate, parseTemplate, type Template, TemplateError } from '../../text-template.ts';
import type { MailMessage } from './mailer.ts';

/** The built-in templates, shipped beside this file. */
export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('./mail-templates/', import.meta.url));

/** Every template and the placeholders it may use. */
export const MAIL_TEMPLATES = {
  'enrollment-link': ['organization', 'name', 'username', 'link', 'expires'],
  'enrollment-reminder': ['organization', 'name', 'username', 'link', 'expires'],
  'device-added': ['organization', 'name', 'username', 'device', 'time'],
  'fraud-alert-user': ['organization', 'name', 'username', 'application', 'ip', 'time'],
  'fraud-alert-admin': ['organization', 'username', 'user', 'application', 'ip', 'time', 'txid'],
} as const satisfies Record<string, readonly string[]>;

export type MailTemplateName = keyof typeof MAIL_TEMPLATES;
export type MailValues<N extends MailTemplateName> = Record<(typeof MAIL_TEMPLATES)[N][number], string>;

interface MailTemplate {
  subject: Template;
  text: Template;
  /** Null when the operator's folder has the text without an HTML version: the mail is then text only. */
  html: Template | null;
}

/** The loaded templates; `render` fills one in (plain values in text, HTML-escaped in HTML). */
export interface MailTemplates {
  render<N extends MailTemplateName>(name: N, values: MailValues<N>): Omit<MailMessage, 'to'>;
}

const NAMES = Object.keys(MAIL_TEMPLATES) as MailTemplateName[];

function readText(dir: string, file: string): string | null {
  try {
    return readFileSync(join(dir, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new TemplateError(`${join(dir, file)}: ${(error as Error).message}`);
  }
}

/** Splits `Subject: …`, a blank line, and the body. */
function parseTextFile(text: string, allowed: readonly string[], where: string) {
  const match = /^Subject:[ \t]*(.*)\r?\n\r?\n/.exec(text);
  if (!match) throw new TemplateError(`${where}: must start with a 'Subject: …' line and a blank line`);
  return {
    subject: parseTemplate(match[1]!, allowed, `${where} (subject)`),
    text: parseTemplate(text.slice(match[0].length), allowed, where),
  };
}

function loadOne(name: MailTemplateName, dir: string): MailTemplate | null {
  const allowed = MAIL_TEMPLATES[name];
  const text = readText(dir, `${name}.txt`);
  const html = readText(dir, `${name}.html`);
  if (text === null) {
    if (html !== null) throw new TemplateError(`${join(dir, `${name}.html`)}: needs ${name}.txt beside it`);
    return null;
  }
  return {
    ...parseTextFile(text, allowed, join(dir, `${name}.txt`)),
    html: html === null ? null : parseTemplate(html, allowed, join(dir, `${name}.html`)),
  };
}

/**
 * Loads the templates: each from `dir` when it has `<name>.txt` there, else the built-in one. Throws TemplateError
 * for an unknown placeholder, a missing Subject line, or a file in `dir` that is no template (a misspelt name
 * would otherwise leave the default in use without a word).
 */
export function loadMailTemplates(dir?: string): MailTemplates {
  if (dir !== undefined) {
    let files: string[];
    try {
      files = readdirSync(dir);
    } catch (error) {
      throw new TemplateError(`mail.templates_dir '${dir}' cannot be read: ${(error as Error).message}`);
    }
    for (const file of files) {
      const match = /^(.*)\.(txt|html)$/.exec(file);
      if (match && !NAMES.includes(match[1] as MailTemplateName))
        throw new TemplateError(
          `${join(dir, file)}: no template is called '${match[1]}'; known: ${NAMES.join(', ')}`,
        );
    }
  }
  const templates = new Map<MailTemplateName, MailTemplate>();
  for (const name of NAMES) {
    const template = (dir !== undefined ? loadOne(name, dir) : null) ?? loadOne(name, DEFAULT_TEMPLATES_DIR);
    if (!template) throw new TemplateError(`the built-in template ${name}.txt is missing`);
    templates.set(name, template);
  }
  return {
    render(name, values) {
      const template = templates.get(name)!;
      const plain = values as Record<string, string>;
      return {
        subject: fillTemplate(template.subject, plain, ESCAPE.oneLine).trim(),
        text: fillTemplate(template.text, plain, ESCAPE.none),
        ...(template.html && { html: fillTemplate(template.html, plain, ESCAPE.html) }),
      };
    },
  };
}
