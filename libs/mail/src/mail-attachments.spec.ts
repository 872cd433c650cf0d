import { attachmentsOf } from './mail-delivery.service';

describe('attachmentsOf', () => {
  it('decodes stored bytes and draws QR codes as PNG at send time', async () => {
    const [ics, qr] = await attachmentsOf([
      {
        filename: 'event.ics',
        contentType: 'text/calendar',
        content: Buffer.from('BEGIN:VCALENDAR').toString('base64'),
      },
      { filename: 'qr.png', contentType: 'image/png', qrCode: 'AB12CD34EF56', cid: 'qr@x' },
    ]);
    expect(ics.content.toString()).toBe('BEGIN:VCALENDAR');
    expect(qr.content.subarray(1, 4).toString()).toBe('PNG');
    expect(qr).toMatchObject({ cid: 'qr@x', contentType: 'image/png' });
  });

  it('keeps header-breaking characters out of file names', async () => {
    const [file] = await attachmentsOf([
      { filename: 'a\r\nBcc: x@y.z.ics', contentType: 'text/plain', content: '' },
    ]);
    expect(file.filename).not.toMatch(/[\r\n]/);
  });
});
