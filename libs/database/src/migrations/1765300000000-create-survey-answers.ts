import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Answers in a shape that aggregates well: one narrow row per answered question (and one per
 * chosen option or rated workshop), kept by a trigger from `survey_responses.answers`, which
 * stays the response as submitted (what the form shows again and what exports read). Results
 * then group a few hundred thousand narrow rows instead of expanding every response's jsonb.
 *
 * The rows are structural, so the trigger needs no question definitions:
 * - a number (rating, NPS): `item = ''`, `score`;
 * - a string (single choice's option key, free text): `item = ''`, `text`;
 * - an array (multiple choice): a row `item = ''` (answered), then one row per option key;
 * - an object (workshop matrix): a row `item = ''` (answered), then one row per workshop with
 *   its `score`.
 * Stakeholder and territory types are copied so the results' filters need no join. Nothing here
 * links to a person: the rows name only their response, which in anonymous mode links to no one.
 */
export class CreateSurveyAnswers1765300000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE survey_answers (
        response_id uuid NOT NULL REFERENCES survey_responses(id) ON DELETE CASCADE,
        question_key text NOT NULL,
        item text NOT NULL DEFAULT '',
        survey_id uuid NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
        score int,
        text text,
        stakeholder_type text,
        territory_type text,
        PRIMARY KEY (response_id, question_key, item)
      )`);
    // The aggregation reads (survey, question, item, score) for every row: an index-only scan
    // once the table is vacuumed. Free texts are read in response order, the first 200 of each.
    await q.query(
      `CREATE INDEX ix_survey_answers_aggregate ON survey_answers (survey_id, question_key, item, score)
         INCLUDE (stakeholder_type, territory_type)`,
    );
    await q.query(
      `CREATE INDEX ix_survey_answers_texts ON survey_answers (survey_id, question_key, response_id)
        WHERE text IS NOT NULL`,
    );
    await q.query(`
      CREATE FUNCTION survey_answers_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM survey_answers WHERE response_id = NEW.id;
        INSERT INTO survey_answers
               (response_id, question_key, item, survey_id, score, text, stakeholder_type, territory_type)
        SELECT NEW.id, a.key, x.item, NEW.survey_id, x.score, x.text, NEW.stakeholder_type, NEW.territory_type
          FROM jsonb_each(NEW.answers) a
          CROSS JOIN LATERAL (
            SELECT '' AS item,
                   CASE WHEN jsonb_typeof(a.value) = 'number' THEN (a.value #>> '{}')::numeric::int END AS score,
                   CASE WHEN jsonb_typeof(a.value) = 'string' THEN a.value #>> '{}' END AS text
            UNION ALL
            SELECT DISTINCT o.v, NULL::int, NULL::text
              FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(a.value) = 'array' THEN a.value ELSE '[]' END) o(v)
             WHERE o.v <> ''
            UNION ALL
            SELECT w.key,
                   CASE WHEN jsonb_typeof(w.value) = 'number' THEN (w.value #>> '{}')::numeric::int END,
                   NULL::text
              FROM jsonb_each(CASE WHEN jsonb_typeof(a.value) = 'object' THEN a.value ELSE '{}' END) w
             WHERE w.key <> ''
          ) x;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER survey_answers_sync
        AFTER INSERT OR UPDATE OF answers, stakeholder_type, territory_type ON survey_responses
        FOR EACH ROW EXECUTE FUNCTION survey_answers_sync()`);
    // The answers already received.
    await q.query(`UPDATE survey_responses SET answers = answers`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER survey_answers_sync ON survey_responses`);
    await q.query(`DROP FUNCTION survey_answers_sync()`);
    await q.query(`DROP TABLE survey_answers`);
  }
}
