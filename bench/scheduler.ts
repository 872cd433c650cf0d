/**
 * `npm run bench -- scheduler`: the automatic scheduler on seeded, generated instances (36 sessions
 * × 12 slots × 5 rooms, 108 × 18 × 10, 300 × 30 × 12 with 150 speakers and 2,000 attendees'
 * interest sets), beside a greedy baseline (largest demand first into the largest free room) in
 * the same run; and, on a small instance, the gap to the optimum found by exhaustive search.
 * Last line: one JSON object.
 */
import {
  demandOf,
  detectConflicts,
  HARD_CONSTRAINTS,
  interestCounts,
  ProgrammeModel,
  RoomModel,
  schedule,
  ScheduleResult,
  scheduleSteps,
  sharedInterests,
  SessionModel,
} from '@assises/programme';

const HOUR = 3_600_000;
const DAY0 = Date.UTC(2027, 1, 4, 8);

/** A seeded generator (same seed, same instance). */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Spec {
  name: string;
  sessions: number;
  slots: number;
  rooms: number;
  speakers: number;
  attendees: number;
  seed: number;
}

/** Slots of one hour, 10 a day; rooms from 20 to 300 seats; demand skewed (a few popular). */
function generate(spec: Spec): ProgrammeModel {
  const next = random(spec.seed);
  const perDay = Math.min(10, spec.slots);
  const days = [];
  for (let left = spec.slots, d = 0; left > 0; d += 1, left -= perDay)
    days.push({
      start: DAY0 + d * 24 * HOUR,
      end: DAY0 + d * 24 * HOUR + Math.min(perDay, left) * HOUR,
    });
  const rooms: RoomModel[] = Array.from({ length: spec.rooms }, (_, i) => ({
    id: `r${String(i).padStart(2, '0')}`,
    name: `Room ${i}`,
    capacity: Math.round(20 + (280 * i * i) / Math.max(1, (spec.rooms - 1) ** 2)),
    availability: [],
  }));
  const sessions: SessionModel[] = Array.from({ length: spec.sessions }, (_, i) => ({
    id: `s${String(i).padStart(3, '0')}`,
    title: `Session ${i}`,
    durationMinutes: 60,
    speakers: [`p${Math.floor(next() * spec.speakers)}`],
    availability: [],
    expectedAudience: null,
    estimatedDemand: null,
    roomId: null,
    start: null,
  }));
  // Popularity: Zipf-like weights; each attendee marks 4–8 sessions, some of them in a cluster.
  const weights = sessions.map((_, i) => 1 / (1 + ((i * 7919) % spec.sessions)) ** 0.6);
  const total = weights.reduce((a, b) => a + b, 0);
  const pick = () => {
    let x = next() * total;
    for (let i = 0; i < weights.length; i += 1) if ((x -= weights[i]) <= 0) return i;
    return weights.length - 1;
  };
  const interests: Record<string, string[]> = {};
  for (let a = 0; a < spec.attendees; a += 1) {
    const marks = new Set<string>();
    const count = 4 + Math.floor(next() * 5);
    while (marks.size < count) marks.add(sessions[pick()].id);
    interests[`a${a}`] = [...marks];
  }
  return { rooms, sessions, grid: { days, stepMinutes: 60, blocks: [] }, interests };
}

/** The baseline: largest demand first, each into the largest free room at the earliest time. */
function greedyBaseline(model: ProgrammeModel): ScheduleResult {
  const marks = interestCounts(model.interests);
  const order = [...model.sessions].sort(
    (a, b) => demandOf(b, marks) - demandOf(a, marks) || a.id.localeCompare(b.id),
  );
  const rooms = [...model.rooms].sort((a, b) => b.capacity - a.capacity);
  const starts = model.grid.days.flatMap((d) => {
    const list = [];
    for (let t = d.start; t + HOUR <= d.end; t += HOUR) list.push(t);
    return list;
  });
  const taken = new Set<string>();
  const busy = new Set<string>();
  const placements: ScheduleResult['placements'] = [];
  const unplaced: ScheduleResult['unplaced'] = [];
  for (const session of order) {
    let done = false;
    for (const room of rooms) {
      for (const start of starts) {
        if (taken.has(`${room.id}|${start}`)) continue;
        if (session.speakers.some((s) => busy.has(`${s}|${start}`))) continue;
        taken.add(`${room.id}|${start}`);
        for (const s of session.speakers) busy.add(`${s}|${start}`);
        placements.push({ sessionId: session.id, roomId: room.id, start });
        done = true;
        break;
      }
      if (done) break;
    }
    if (!done) unplaced.push({ sessionId: session.id, reason: 'no_free_slot' });
  }
  return { placements, unplaced, cost: evaluate(model, placements) };
}

/** Overflow and interest overlap of placements, counted from scratch. */
function evaluate(model: ProgrammeModel, placements: ScheduleResult['placements']) {
  const marks = interestCounts(model.interests);
  const shared = sharedInterests(model.interests);
  const byId = new Map(model.sessions.map((s) => [s.id, s]));
  const rooms = new Map(model.rooms.map((r) => [r.id, r]));
  let overflow = 0;
  let overlap = 0;
  for (const p of placements)
    overflow += Math.max(
      0,
      demandOf(byId.get(p.sessionId)!, marks) - rooms.get(p.roomId)!.capacity,
    );
  for (let i = 0; i < placements.length; i += 1)
    for (let j = i + 1; j < placements.length; j += 1) {
      const a = placements[i];
      const b = placements[j];
      const aEnd = a.start + byId.get(a.sessionId)!.durationMinutes * 60_000;
      const bEnd = b.start + byId.get(b.sessionId)!.durationMinutes * 60_000;
      if (a.start < bEnd && b.start < aEnd)
        overlap += shared.get(a.sessionId)?.get(b.sessionId) ?? 0;
    }
  return { overflow, overlap, moves: 0 };
}

function hardViolations(model: ProgrammeModel, result: ScheduleResult): number {
  const placed = new Map(result.placements.map((p) => [p.sessionId, p]));
  const applied = {
    ...model,
    sessions: model.sessions.map((s) => ({
      ...s,
      roomId: placed.get(s.id)?.roomId ?? null,
      start: placed.get(s.id)?.start ?? null,
    })),
  };
  return detectConflicts(applied).filter((c) => HARD_CONSTRAINTS.includes(c.code)).length;
}

/** The optimum (overflow, then overlap) by exhaustive branch and bound over every placement. */
function exhaustive(model: ProgrammeModel, bound: { overflow: number; overlap: number }) {
  const marks = interestCounts(model.interests);
  const shared = sharedInterests(model.interests);
  const sessions = [...model.sessions].sort((a, b) => demandOf(b, marks) - demandOf(a, marks));
  const starts = model.grid.days.flatMap((d) => {
    const list = [];
    for (let t = d.start; t + HOUR <= d.end; t += HOUR) list.push(t);
    return list;
  });
  const places = starts.flatMap((start) => model.rooms.map((room) => ({ start, room })));
  const SCALE = 1_000_000;
  let best = bound.overflow * SCALE + bound.overlap;
  const used = new Array<boolean>(places.length).fill(false);
  const at: { start: number; id: string; speakers: string[] }[] = [];
  let nodes = 0;
  const dfs = (k: number, cost: number) => {
    nodes += 1;
    if (cost >= best) return;
    if (k === sessions.length) {
      best = cost;
      return;
    }
    const s = sessions[k];
    for (let p = 0; p < places.length; p += 1) {
      if (used[p]) continue;
      const { start, room } = places[p];
      if (at.some((o) => o.start === start && o.speakers.some((sp) => s.speakers.includes(sp))))
        continue;
      let add = Math.max(0, demandOf(s, marks) - room.capacity) * SCALE;
      for (const o of at) if (o.start === start) add += shared.get(s.id)?.get(o.id) ?? 0;
      used[p] = true;
      at.push({ start, id: s.id, speakers: s.speakers });
      dfs(k + 1, cost + add);
      at.pop();
      used[p] = false;
    }
  };
  dfs(0, 0);
  return { overflow: Math.floor(best / SCALE), overlap: best % SCALE, nodes };
}

function timeToFirstFeasible(model: ProgrammeModel): {
  firstMs: number;
  totalMs: number;
  result: ScheduleResult;
} {
  const started = process.hrtime.bigint();
  const steps = scheduleSteps(model, { mode: 'all' });
  let firstMs = 0;
  let step = steps.next();
  while (!step.done) {
    // 0.4: the greedy construction is complete, a feasible schedule exists.
    if (!firstMs && step.value >= 0.4) firstMs = Number(process.hrtime.bigint() - started) / 1e6;
    step = steps.next();
  }
  return { firstMs, totalMs: Number(process.hrtime.bigint() - started) / 1e6, result: step.value };
}

const SPECS: Spec[] = [
  { name: '36x12x5', sessions: 36, slots: 12, rooms: 5, speakers: 30, attendees: 300, seed: 1 },
  {
    name: '108x18x10',
    sessions: 108,
    slots: 18,
    rooms: 10,
    speakers: 80,
    attendees: 1000,
    seed: 2,
  },
  {
    name: '300x30x12',
    sessions: 300,
    slots: 30,
    rooms: 12,
    speakers: 150,
    attendees: 2000,
    seed: 3,
  },
];

const figures: Record<string, unknown> = { bench: 'scheduler' };
let largestRatio = 0;
for (const spec of SPECS) {
  const model = generate(spec);
  const baselineStarted = process.hrtime.bigint();
  const baseline = greedyBaseline(model);
  const baselineMs = Number(process.hrtime.bigint() - baselineStarted) / 1e6;
  const { firstMs, totalMs, result } = timeToFirstFeasible(model);
  const again = schedule(generate(spec), { mode: 'all' });
  const deterministic = JSON.stringify(again) === JSON.stringify(result);
  const violations = hardViolations(model, result);
  const fewer = baseline.cost.overlap === 0 ? 0 : 1 - result.cost.overlap / baseline.cost.overlap;
  console.log(
    `${spec.name}: first feasible ${firstMs.toFixed(0)} ms, done ${totalMs.toFixed(0)} ms; hard violations ${violations}; ` +
      `unplaced ${result.unplaced.length} (baseline ${baseline.unplaced.length}); ` +
      `overflow ${result.cost.overflow} (baseline ${baseline.cost.overflow}); ` +
      `interest overlap ${result.cost.overlap} (baseline ${baseline.cost.overlap}, ${(fewer * 100).toFixed(0)}% fewer); ` +
      `baseline ${baselineMs.toFixed(0)} ms; same seed same result: ${deterministic}`,
  );
  const key = spec.name.replace(/x/g, '_');
  figures[`first_feasible_ms_${key}`] = Math.round(firstMs);
  figures[`total_ms_${key}`] = Math.round(totalMs);
  figures[`hard_violations_${key}`] = violations;
  figures[`unplaced_${key}`] = result.unplaced.length;
  figures[`overflow_${key}`] = result.cost.overflow;
  figures[`baseline_overflow_${key}`] = baseline.cost.overflow;
  figures[`overlap_${key}`] = result.cost.overlap;
  figures[`baseline_overlap_${key}`] = baseline.cost.overlap;
  figures[`deterministic_${key}`] = deterministic;
  largestRatio = fewer;
}

const small = generate({
  name: 'small',
  sessions: 10,
  slots: 4,
  rooms: 3,
  speakers: 8,
  attendees: 150,
  seed: 4,
});
const ours = schedule(small, { mode: 'all' });
const started = process.hrtime.bigint();
const optimum = exhaustive(small, { overflow: ours.cost.overflow, overlap: ours.cost.overlap + 1 });
const exhaustiveMs = Number(process.hrtime.bigint() - started) / 1e6;
// Lexicographic: the gap on overflow, or on overlap when overflow is the optimum's.
const relative = (ours: number, best: number) =>
  best === 0 ? (ours === 0 ? 0 : 1) : ours / best - 1;
const gap =
  ours.cost.overflow !== optimum.overflow
    ? relative(ours.cost.overflow, optimum.overflow)
    : relative(ours.cost.overlap, optimum.overlap);
console.log(
  `small (10 sessions × 4 slots × 3 rooms): ours overflow ${ours.cost.overflow}, overlap ${ours.cost.overlap}; ` +
    `optimum overflow ${optimum.overflow}, overlap ${optimum.overlap} (exhaustive, ${optimum.nodes} nodes, ${exhaustiveMs.toFixed(0)} ms); gap ${(gap * 100).toFixed(1)}% (target ≤ 5%)`,
);
figures.ratio = Number(largestRatio.toFixed(3));
figures.interest_clash_reduction_largest = Number(largestRatio.toFixed(3));
figures.small_gap = Number(gap.toFixed(3));
figures.small_optimum_overlap = optimum.overlap;
figures.small_overlap = ours.cost.overlap;
console.log(JSON.stringify(figures));
