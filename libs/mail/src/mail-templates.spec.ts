import { LOCALES } from '@assises/core';
import { MailRenderError, MailTemplates } from './mail-templates';

describe(MailTemplates.name, () => {
  const templates = new MailTemplates();
  const context = { publicUrl: 'https://assises.example.org', unsubscribeUrl: null };

  describe.each(templates.names())('%s', (name) => {
    it.each([...LOCALES])('renders in %s with its sample data', (locale) => {
      const mail = templates.render(name, locale, templates.sample(name), context);
      expect(mail.subject.length).toBeGreaterThan(3);
      expect(mail.subject).not.toMatch(/[\r\n]/);
      expect(mail.html).toContain('<html lang="' + locale + '">');
      expect(mail.text).toContain('https://assises.example.org');
    });

    it('fails instead of sending a half-rendered mail when a variable is missing', () => {
      const sample = templates.sample(name);
      const firstKey = Object.keys(sample)[0];
      const { [firstKey]: _removed, ...partial } = sample;
      expect(() => templates.render(name, 'fr', partial, context)).toThrow(MailRenderError);
    });
  });

  it('escapes hostile text in the HTML part and keeps it readable in the text part', () => {
    const data = { ...templates.sample('password-reset'), name: '<script>alert(1)</script>' };
    const mail = templates.render('password-reset', 'en', data, context);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.text).toContain('<script>alert(1)</script>');
  });

  it('adds an unsubscribe link to the layout when given one', () => {
    const mail = templates.render('invitation', 'fr', templates.sample('invitation'), {
      ...context,
      unsubscribeUrl: 'https://assises.example.org/unsubscribe/x',
    });
    expect(mail.html).toContain('https://assises.example.org/unsubscribe/x');
    expect(mail.text).toContain('Ne plus recevoir ces messages');
  });
});
