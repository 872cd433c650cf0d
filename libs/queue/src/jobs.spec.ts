import { assertPayload, InvalidJobPayloadError } from './jobs';

describe('assertPayload', () => {
  it('accepts a send-mail job with a uuid', () => {
    const id = '7d2d3a4e-2a51-4b1e-9d57-4c1f5b0c3f10';
    expect(assertPayload('send-mail', { outboxId: id, extra: 1 })).toEqual({ outboxId: id });
  });

  it('refuses a send-mail job without a uuid', () => {
    expect(() => assertPayload('send-mail', { outboxId: 'x:1' })).toThrow(InvalidJobPayloadError);
    expect(() => assertPayload('send-mail', null)).toThrow(InvalidJobPayloadError);
  });

  it('accepts the survey sweep with an empty payload', () => {
    expect(assertPayload('sweep-surveys', { stray: true })).toEqual({});
  });

  it('accepts the sweep of queued scheduling runs with an empty payload', () => {
    expect(assertPayload('sweep-scheduling-runs', { stray: true })).toEqual({});
  });

  it('accepts a schedule-programme job with a run uuid and refuses one without', () => {
    const id = '7d2d3a4e-2a51-4b1e-9d57-4c1f5b0c3f10';
    expect(assertPayload('schedule-programme', { runId: id })).toEqual({ runId: id });
    expect(() => assertPayload('schedule-programme', { runId: 'nope' })).toThrow(
      InvalidJobPayloadError,
    );
  });
});
