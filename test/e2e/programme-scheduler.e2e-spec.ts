import type { AppConfig } from '@assises/config';
import { EditionStatus } from '@assises/editions';
import { DataSource } from 'typeorm';
import { createEdition, CreatedAccount, DEFAULT_PASSWORD } from '../factories';
import { startApi, startWorker, TestApi, TestWorker } from '../harness/app';
import { Browser, loginJson } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';
import { eventually } from '../harness/wait';

const SLUG = 'nantes-2027';
const BASE = `/api/v1/editions/${SLUG}/programme`;

interface RunBody {
  id: string;
  status: string;
  error: string | null;
  progress: number;
  result: {
    placements: { sessionId: string; roomId: string; startsAt: string }[];
    unplaced: { sessionId: string; reason: string }[];
    cost: { overflow: number; overlap: number; moves: number };
  } | null;
}

describe('Automatic scheduling in the worker', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: TestApi;
  let worker: TestWorker;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url, { TRUST_PROXY: 'true' });
    api = await startApi(config);
    worker = await startWorker(config);
    ds = api.app.get(DataSource);
  });

  afterEach(async () => {
    await truncateAll(ds);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  /** An edition with two rooms, a lunch, and sessions sharing a speaker. */
  async function setUp(): Promise<{ owner: Browser; sessions: Record<string, string> }> {
    const { members } = await createEdition(ds, {
      slug: SLUG,
      status: EditionStatus.Announced,
      startsAt: new Date('2027-02-04T08:00:00Z'),
      endsAt: new Date('2027-02-04T17:00:00Z'),
      members: { owner: {} },
    });
    const owner = await loginJson(api, (members.owner as CreatedAccount).email, DEFAULT_PASSWORD);
    for (const [name, capacity] of [
      ['Amphi', 150],
      ['Salle B', 25],
    ] as const)
      expect((await owner.json('post', `${BASE}/rooms`, { name, capacity })).status).toBe(201);
    await owner.json('post', `${BASE}/blocks`, {
      kind: 'lunch',
      title: 'Déjeuner',
      startsAt: '2027-02-04T12:30',
      endsAt: '2027-02-04T14:00',
    });
    const speaker = { name: 'Camille', email: 'camille@example.org' };
    const sessions: Record<string, string> = {};
    for (const [title, extra] of [
      ['Grande plénière', { estimatedDemand: 140, durationMinutes: 60 }],
      ['Atelier un', { durationMinutes: 90, speakers: [speaker], estimatedDemand: 20 }],
      ['Atelier deux', { durationMinutes: 90, speakers: [speaker], estimatedDemand: 20 }],
      ['Témoignage', { durationMinutes: 30, estimatedDemand: 10 }],
      ['Marathon', { durationMinutes: 600 }],
    ] as const) {
      const res = await owner.json('post', `${BASE}/sessions`, { title, kind: 'talk', ...extra });
      expect(res.status).toBe(201);
      sessions[title] = (res.body as { id: string }).id;
    }
    return { owner, sessions };
  }

  async function runToEnd(owner: Browser, mode: string): Promise<RunBody> {
    const started = await owner.json('post', `${BASE}/scheduling-runs`, { mode });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'queued', progress: 0, result: null });
    const id = (started.body as RunBody).id;
    return eventually(
      async () => {
        const res = await owner.json('get', `${BASE}/scheduling-runs/${id}`);
        const run = res.body as RunBody;
        return run.status === 'done' || run.status === 'failed' ? run : undefined;
      },
      { what: `scheduling run ${id}` },
    );
  }

  it('proposes a schedule (progress reaching 100), reports what it cannot place, and applies it on request', async () => {
    const { owner, sessions } = await setUp();
    const run = await runToEnd(owner, 'unscheduled');
    expect(run).toMatchObject({ status: 'done', progress: 100, error: null });
    expect(run.result!.unplaced).toEqual([
      { sessionId: sessions.Marathon, reason: 'longer_than_any_slot', version: 1 },
    ]);
    expect(run.result!.placements).toHaveLength(4);
    expect(run.result!.cost.overflow).toBe(0);
    const plenary = run.result!.placements.find(
      (p) => p.sessionId === sessions['Grande plénière'],
    )!;
    const rooms = (await owner.json('get', `${BASE}/rooms`)).body as { id: string; name: string }[];
    expect(rooms.find((r) => r.id === plenary.roomId)!.name).toBe('Amphi');

    // Nothing changes before the organiser applies the proposal.
    const before = await owner.json('get', `${BASE}/sessions`);
    expect(
      (before.body as { sessions: { roomId: string | null }[] }).sessions.every((s) => !s.roomId),
    ).toBe(true);

    const applied = await owner.json('post', `${BASE}/scheduling-runs/${run.id}/apply`);
    expect(applied.status).toBe(200);
    expect(applied.body).toEqual({ changed: 4 });
    const after = await owner.json('get', `${BASE}/sessions`);
    const body = after.body as {
      sessions: { id: string; roomId: string | null }[];
      conflicts: unknown[];
    };
    expect(
      body.sessions
        .filter((s) => s.roomId)
        .map((s) => s.id)
        .sort(),
    ).toEqual(run.result!.placements.map((p) => p.sessionId).sort());
    expect(body.conflicts).toEqual([]);

    const twice = await owner.json('post', `${BASE}/scheduling-runs/${run.id}/apply`);
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'scheduling_run.not_ready' });
  });

  it('refuses to apply a run after someone changed one of its sessions', async () => {
    const { owner, sessions } = await setUp();
    const run = await runToEnd(owner, 'all');
    expect(run.status).toBe('done');
    const current = await owner.json('get', `${BASE}/sessions/${sessions['Témoignage']}`);
    const edited = await owner.json('patch', `${BASE}/sessions/${sessions['Témoignage']}`, {
      title: 'Témoignage (renommé)',
      version: (current.body as { version: number }).version,
    });
    expect(edited.status).toBe(200);
    const applied = await owner.json('post', `${BASE}/scheduling-runs/${run.id}/apply`);
    expect(applied.status).toBe(409);
    expect(applied.body).toMatchObject({ code: 'schedule.stale' });
    const [{ placed }] = await ds.query<{ placed: string }[]>(
      'SELECT count(*) AS placed FROM programme_sessions WHERE room_id IS NOT NULL',
    );
    expect(Number(placed)).toBe(0);
  });

  it('refuses an unknown mode with 422', async () => {
    const { owner } = await setUp();
    const res = await owner.json('post', `${BASE}/scheduling-runs`, { mode: 'magic' });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).toContain('mode');
  });
});
