import { pdfTextHeights, pdfTextLines } from '../../../../test/harness/pdf';
import home from '../i18n/fr/home.json';
import surveys from '../i18n/fr/surveys.json';
import { barWidth, pdfText, scalePosition } from './pdf-text';
import { editionDates, renderReportPdf, ReportModel, Translate } from './report-pdf';

/** The French strings, looked up by key as nestjs-i18n does (`surveys.report.title`). */
const t: Translate = (key, args = {}) => {
  const [file, ...path] = key.split('.');
  let value: unknown = { home, surveys }[file];
  for (const part of path) value = (value as Record<string, unknown> | undefined)?.[part];
  if (typeof value !== 'string') return key;
  return value.replace(/\{(\w+)\}/g, (_, name: string) => String(args[name]));
};

const edition = {
  title: 'Assises 2027 — Clermont',
  slug: 'clermont-2027',
  hostCity: 'Clermont-Ferrand',
  hostOrganisation: 'Coop’ Auvergne',
  startsAt: new Date('2027-03-10T08:00:00Z'),
  endsAt: new Date('2027-03-11T17:00:00Z'),
  timezone: 'Europe/Paris',
} as ReportModel['edition'];

const emptyModel = (reportText: string): ReportModel => ({
  edition,
  reportText,
  programme: {
    published: false,
    versionName: '',
    sessions: 0,
    speakers: 0,
    byKind: [],
    byTheme: [],
  },
  previousProgramme: null,
  contributions: {
    received: 0,
    accepted: 0,
    byFormat: [],
    speakers: [],
    speakersByStakeholder: [],
  },
  previousContributions: null,
  attendance: {
    known: false,
    confirmed: 0,
    checkedIn: 0,
    byStakeholder: [],
    byTerritory: [],
    declared: 120,
  },
  previousEdition: null,
  previousAttendance: null,
  survey: null,
  previousSurvey: null,
});

describe('edition report as PDF', () => {
  describe('pdfText', () => {
    it('keeps every letter and sign as typed, in the composed form', () => {
      const text =
        'é è à ç œ Œ « » ’ — – … € · Ÿ ï ô ù 10\u202f000 ≥ 5 → Łódź Erdős Ελλάδα Київ 🎉';
      expect(pdfText(text)).toBe(text);
      expect(pdfText('e\u0301te\u0301')).toBe('été');
    });

    it('makes line breaks \\n, control characters spaces, and drops invisible ones', () => {
      expect(pdfText('a\tb\u0007c\u200bd')).toBe('a b cd');
      expect(pdfText('un\r\ndeux\rtrois\nquatre')).toBe('un\ndeux\ntrois\nquatre');
    });
  });

  describe('layout helpers', () => {
    it('keeps a bar inside its track', () => {
      expect(barWidth(50, 200)).toBe(100);
      expect(barWidth(120, 200)).toBe(200);
      expect(barWidth(-5, 200)).toBe(0);
      expect(barWidth(NaN, 200)).toBe(0);
    });

    it('places a value on its scale: the NPS from −100 to 100, a rating from 1 to 5', () => {
      expect(scalePosition(-100, [-100, 100], 10, 200)).toBe(10);
      expect(scalePosition(40, [-100, 100], 10, 200)).toBe(150);
      expect(scalePosition(300, [-100, 100], 10, 200)).toBe(210);
      expect(scalePosition(3, [1, 5], 0, 100)).toBe(50);
      expect(scalePosition(0, [1, 5], 0, 100)).toBe(0);
    });

    it('writes the edition’s dates in its time zone and language', () => {
      expect(editionDates(edition.startsAt, edition.endsAt, 'Europe/Paris', 'fr')).toBe(
        '10–11 mars 2027',
      );
      expect(editionDates(edition.startsAt, edition.startsAt, 'Europe/Paris', 'en')).toBe(
        '10 March 2027',
      );
    });
  });

  describe('renderReportPdf', () => {
    it('draws the header and the sections, accents intact, with what is missing said so', async () => {
      const pdf = await renderReportPdf(emptyModel(''), { lang: 'fr', t });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const lines = pdfTextLines(pdf);
      expect(lines).toContain('Assises 2027 — Clermont');
      expect(lines).toContain('Clermont-Ferrand · Coop’ Auvergne · 10–11 mars 2027');
      expect(lines).toContain('Évaluation');
      expect(lines).toContain('120 participant·es');
      expect(lines).toContain('Aucun programme publié pour cette édition.');
      expect(lines).toContain("Cette édition n'a pas de questionnaire d'évaluation.");
    });

    it('moves table rows whole onto the next page, the header again, long labels kept inside', async () => {
      const model = emptyModel('');
      model.programme = {
        ...model.programme,
        published: true,
        versionName: 'v2',
        sessions: 90,
        speakers: 40,
        byTheme: Array.from({ length: 90 }, (_, i) => ({
          label: i === 7 ? `Thème ${'interminable'.repeat(40)}` : `Thème ${i}`,
          count: 1,
        })),
      };
      const pdf = await renderReportPdf(model, { lang: 'fr', t, compress: false });
      const lines = pdfTextLines(pdf);
      expect(lines.filter((l) => l === 'Par thème').length).toBeGreaterThan(1);
      expect(lines).toContain('Thème 89');
      expect(lines.join('')).toContain('interminable'.repeat(10));
      for (const y of pdfTextHeights(pdf)) {
        expect(y).toBeGreaterThan(20);
        expect(y).toBeLessThan(842 - 40);
      }
    });

    it('draws letters beyond French as typed (the font is embedded)', async () => {
      const text = 'Merci à Łukasz (Łódź), Ελένη (Αθήνα) et Олена (Київ) — 10\u202f000 ≥ 5';
      const pdf = await renderReportPdf(emptyModel(text), { lang: 'fr', t });
      expect(pdfTextLines(pdf)).toContain(text);
      expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
    });

    it('keeps a very long edition title on one footer line per page', async () => {
      const model = emptyModel('');
      model.edition = { ...edition, title: `Assises ${'nationales '.repeat(40)}` };
      const pdf = await renderReportPdf(model, { lang: 'en', t, compress: false });
      const footers = pdfTextLines(pdf).filter((l) => l.startsWith('Assises nationales'));
      expect(footers.at(-1)).toMatch(/…$|\.\.\.$/);
      for (const y of pdfTextHeights(pdf)) expect(y).toBeGreaterThan(20);
    });

    it('carries a long text onto new pages, nothing drawn off a page', async () => {
      const long = `${'Les enjeux du coworking rural. '.repeat(160)}${'x'.repeat(400)}`;
      const pdf = await renderReportPdf(emptyModel(long), { lang: 'fr', t, compress: false });
      const lines = pdfTextLines(pdf);
      const footers = lines.filter((l) => /^Assises 2027 — Clermont · \d+ \/ \d+$/.test(l));
      expect(footers.length).toBeGreaterThan(1);
      expect(footers.at(-1)).toBe(
        `Assises 2027 — Clermont · ${footers.length} / ${footers.length}`,
      );
      // The word longer than a line is cut, never dropped (it may run over a page's footer).
      const body = lines.filter((l) => !footers.includes(l)).join('');
      expect(body).toContain('x'.repeat(400));
      for (const y of pdfTextHeights(pdf)) {
        expect(y).toBeGreaterThan(20);
        expect(y).toBeLessThan(842 - 40);
      }
    });
  });
});
