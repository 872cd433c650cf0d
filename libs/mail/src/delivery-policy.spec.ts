import { classifySendError, headerSafe, retryDelayMs } from './delivery-policy';

describe('classifySendError', () => {
  it('treats SMTP 5xx as permanent', () => {
    expect(classifySendError({ responseCode: 550, code: 'EENVELOPE' })).toBe('permanent');
  });

  it('treats SMTP 4xx as temporary', () => {
    expect(classifySendError({ responseCode: 451, code: 'EMESSAGE' })).toBe('temporary');
  });

  it('treats a refused connection as temporary', () => {
    expect(classifySendError({ code: 'ECONNECTION' })).toBe('temporary');
    expect(classifySendError({ code: 'ECONNREFUSED' })).toBe('temporary');
  });

  it('treats a message nodemailer cannot build as permanent', () => {
    expect(classifySendError({ code: 'EENVELOPE' })).toBe('permanent');
  });

  it('keeps unknown errors temporary so no email is lost', () => {
    expect(classifySendError(new Error('boom'))).toBe('temporary');
  });
});

describe('retryDelayMs', () => {
  it('doubles from the base at each attempt', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('is capped at six hours', () => {
    expect(retryDelayMs(40, 30_000)).toBe(6 * 60 * 60 * 1000);
  });
});

describe('headerSafe', () => {
  it('removes line breaks that would start a new header', () => {
    expect(headerSafe('Alice\r\nBcc: victim@example.org')).toBe('Alice Bcc: victim@example.org');
  });
});
