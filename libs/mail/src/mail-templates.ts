import { LOCALES, Locale } from '@assises/core';
import Handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

/** A template that cannot be rendered with the data given: a permanent failure, never retried. */
export class MailRenderError extends Error {
  constructor(template: string, locale: string, cause: unknown) {
    super(`render ${template}/${locale}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'MailRenderError';
  }
}

type Compiled = (data: Record<string, unknown>) => string;
interface TemplateSet {
  subject: Compiled;
  html: Compiled;
  text: Compiled;
}

/** Where the templates are, in the sources and in dist (the build copies them beside the code). */
export const MAIL_TEMPLATES_DIR = join(__dirname, '..', 'templates');

const collapse = (value: string) => value.replace(/[\r\n]+/g, ' ').trim();

/**
 * Every email template, compiled once at start, in strict mode: a variable the data lacks is an
 * error, so no mail ever leaves half-rendered. Each template has a subject, an HTML part and a
 * plain-text part per locale, wrapped in the shared layout of that locale.
 */
export class MailTemplates {
  private readonly sets = new Map<string, TemplateSet>();
  private readonly samples = new Map<string, Record<string, unknown>>();

  constructor(readonly dir: string = MAIL_TEMPLATES_DIR) {
    const names = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
      .map((entry) => entry.name)
      .sort();
    for (const locale of LOCALES) {
      const htmlEnv = this.environment(locale, 'html');
      const textEnv = this.environment(locale, 'text');
      for (const name of names) {
        const read = (part: string) =>
          readFileSync(join(dir, name, `${locale}.${part}.hbs`), 'utf8');
        this.sets.set(`${name}/${locale}`, {
          subject: textEnv.compile(read('subject').trim(), { strict: true, noEscape: true }),
          html: htmlEnv.compile(read('html'), { strict: true }),
          text: textEnv.compile(read('text'), { strict: true, noEscape: true }),
        });
      }
    }
    for (const name of names) {
      const samplePath = join(dir, name, 'sample.json');
      if (existsSync(samplePath)) {
        this.samples.set(
          name,
          JSON.parse(readFileSync(samplePath, 'utf8')) as Record<string, unknown>,
        );
      }
    }
  }

  names(): string[] {
    return [...new Set([...this.sets.keys()].map((key) => key.split('/')[0]))];
  }

  has(template: string): boolean {
    return this.sets.has(`${template}/fr`);
  }

  sample(template: string): Record<string, unknown> {
    const sample = this.samples.get(template);
    if (!sample) throw new Error(`template ${template} has no sample.json`);
    return sample;
  }

  /**
   * Renders one message. `context` holds what the layout needs (publicUrl, unsubscribeUrl);
   * `data` what the template needs. Throws MailRenderError on any missing variable.
   */
  render(
    template: string,
    locale: Locale,
    data: Record<string, unknown>,
    context: { publicUrl: string; unsubscribeUrl: string | null },
  ): RenderedMail {
    const set = this.sets.get(`${template}/${locale}`);
    if (!set) throw new MailRenderError(template, locale, new Error('unknown template'));
    try {
      const subject = collapse(set.subject({ ...data, ...context }));
      const full = { ...data, ...context, subject };
      return { subject, html: set.html(full), text: set.text(full).trim() + '\n' };
    } catch (error) {
      throw new MailRenderError(template, locale, error);
    }
  }

  private environment(locale: Locale, part: 'html' | 'text'): typeof Handlebars {
    const env = Handlebars.create();
    const layout = readFileSync(join(this.dir, '_layout', `${locale}.${part}.hbs`), 'utf8');
    env.registerPartial('layout', env.compile(layout, { strict: true, noEscape: part === 'text' }));
    return env;
  }
}
