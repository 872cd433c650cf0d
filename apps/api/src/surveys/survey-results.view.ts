import type { Locale } from '@assises/core';
import type { Bar, RateRow, SurveyResults } from '@assises/surveys';
import { SurveyQuestionKind as K, TEXTS_SHOWN } from '@assises/surveys';

const pct = (share: number) => Math.round(share * 1000) / 10;
const oneDecimal = (n: number | null) =>
  n === null ? null : (Math.round(n * 10) / 10).toLocaleString('fr-FR');

function bars(list: Bar[], lang: Locale) {
  return list.map((b) => ({
    label: lang === 'en' ? b.labelEn : b.labelFr,
    count: b.count,
    pct: pct(b.share),
  }));
}

/**
 * One line per group, with the previous edition's rate beside it; a group the previous edition
 * had and this one has not (yet) gets its line too, with nothing invited.
 */
function rates(rows: RateRow[], prefix: string, previous: RateRow[] | undefined) {
  const absent = (previous ?? [])
    .filter((p) => !rows.some((r) => r.key === p.key))
    .map((p): RateRow => ({ key: p.key, invited: 0, answered: 0, rate: null }));
  return [...rows, ...absent].map((r) => {
    const before = previous?.find((p) => p.key === r.key);
    return {
      labelKey: `${prefix}.${r.key}`,
      invited: r.invited,
      answered: r.answered,
      pct: r.rate === null ? null : pct(r.rate),
      previousPct: before?.rate == null ? null : pct(before.rate),
    };
  });
}

/** The results page's model: every number and bar width worked out here, none in the template. */
export function resultsView(results: SurveyResults, lang: Locale) {
  const previous = results.previous?.rates;
  const overall = results.rates.overall;
  return {
    responses: results.responses,
    overall: {
      invited: overall.invited,
      answered: overall.answered,
      pct: overall.rate === null ? null : pct(overall.rate),
      previousPct: previous?.overall.rate == null ? null : pct(previous.overall.rate),
    },
    previousTitle: results.previous?.edition.title ?? null,
    byStakeholder: rates(
      results.rates.byStakeholder,
      'surveys.stakeholder',
      previous?.byStakeholder,
    ),
    byTerritory: rates(results.rates.byTerritory, 'surveys.territory', previous?.byTerritory),
    questions: results.questions.map((r) => ({
      key: r.question.key,
      label: lang === 'en' ? r.question.labelEn : r.question.labelFr,
      kind: r.question.kind,
      kindKey: `surveys.kind.${r.question.kind}`,
      answered: r.answered,
      bars: bars(r.bars, lang),
      mean: oneDecimal(r.mean),
      median: oneDecimal(r.median),
      /** Unformatted, for the PDF's mean and median marks. */
      meanValue: r.mean,
      medianValue: r.median,
      nps: r.nps,
      isText: r.question.kind === K.ShortText || r.question.kind === K.LongText,
      texts: r.texts,
      textTotal: r.textTotal,
      textsCut: r.textTotal > TEXTS_SHOWN,
      textsShown: Math.min(r.textTotal, TEXTS_SHOWN),
      matrix: r.matrix.map((m) => ({
        title: lang === 'en' ? m.workshop.titleEn : m.workshop.titleFr,
        answered: m.answered,
        mean: oneDecimal(m.mean),
        median: oneDecimal(m.median),
        bars: bars(m.bars, lang),
      })),
    })),
  };
}
