import type { Locale } from '@assises/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import hbs from 'hbs';
import type { HelperOptions } from 'handlebars';
import { I18nService } from 'nestjs-i18n';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const VIEWS_DIR = join(__dirname, '..', 'views');

/** The Intl locale of each language: dates on pages and in the report's PDF. */
export const INTL_LOCALE: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

function rootLang(options: HelperOptions): Locale {
  const root = options.data?.root as { lang?: Locale } | undefined;
  return root?.lang ?? 'fr';
}

function formatter(options: HelperOptions, zone: unknown, style: Intl.DateTimeFormatOptions) {
  return new Intl.DateTimeFormat(INTL_LOCALE[rootLang(options)], {
    ...style,
    timeZone: typeof zone === 'string' && zone ? zone : 'Europe/Paris',
  });
}

/**
 * Handlebars for pages: a layout, partials, and helpers for translation and dates. Output is
 * escaped by default; no prototype-access option is ever enabled.
 */
export function setupViews(app: NestExpressApplication, i18n: I18nService): void {
  const engine = hbs.create();
  // Registered synchronously: hbs's registerPartials reads the folder asynchronously.
  const partials = join(VIEWS_DIR, 'partials');
  for (const file of readdirSync(partials).filter((name) => name.endsWith('.hbs'))) {
    engine.registerPartial(file.replace(/\.hbs$/, ''), readFileSync(join(partials, file), 'utf8'));
  }

  /** `{{t 'editions.title' city=edition.hostCity}}` in the request's language. */
  engine.registerHelper('t', (key: string, options: HelperOptions) =>
    i18n.t(key, { lang: rootLang(options), args: options.hash as Record<string, unknown> }),
  );
  /** `{{tArgs key args}}` when the arguments come as one object (flash messages). */
  engine.registerHelper(
    'tArgs',
    (key: string, args: Record<string, unknown> | undefined, options: HelperOptions) =>
      i18n.t(key, { lang: rootLang(options), args: args ?? {} }),
  );
  engine.registerHelper(
    'date',
    (value: Date | string | null, zone: unknown, options: HelperOptions) =>
      value ? formatter(options, zone, { dateStyle: 'long' }).format(new Date(value)) : '',
  );
  engine.registerHelper(
    'datetime',
    (value: Date | string | null, zone: unknown, options: HelperOptions) =>
      value
        ? formatter(options, zone, { dateStyle: 'medium', timeStyle: 'short' }).format(
            new Date(value),
          )
        : '',
  );
  /** The instant for `<time datetime>`: ISO 8601, which machines read (not Date#toString). */
  engine.registerHelper('iso', (value: Date | string | null) =>
    value ? new Date(value).toISOString() : '',
  );
  /** A percentage (29.2 → "29,2 %" in French, "29.2%" in English), at most one decimal. */
  engine.registerHelper('percent', (value: number | null, options: HelperOptions) =>
    value === null || value === undefined
      ? ''
      : new Intl.NumberFormat(INTL_LOCALE[rootLang(options)], {
          style: 'percent',
          maximumFractionDigits: 1,
        }).format(Number(value) / 100),
  );
  engine.registerHelper('year', (value: Date | string) => String(new Date(value).getFullYear()));
  engine.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
  engine.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  engine.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  engine.registerHelper('not', (value: unknown) => !value);
  /** The first error message of a field, for `aria-invalid` and the message under the input. */
  /** The first error of a field, translated: `validation.min|n=1` becomes "at least 1". */
  engine.registerHelper(
    'fieldError',
    (errors: Record<string, string[]> | undefined, field: string, options: HelperOptions) => {
      const message = errors?.[field]?.[0];
      if (!message) return '';
      const [key, ...params] = message.split('|');
      const args = Object.fromEntries(params.map((p) => p.split('=') as [string, string]));
      return i18n.t(key, { lang: rootLang(options), args });
    },
  );

  // eslint-disable-next-line @typescript-eslint/unbound-method -- hbs binds __express to its instance
  app.engine('hbs', engine.__express);
  app.setViewEngine('hbs');
  app.setBaseViewsDir(VIEWS_DIR);
  app.set('view options', { layout: 'layouts/main' });
}
