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

  it('writes calendar events as iCal files at send time, hostile text kept as text', async () => {
    const [ics] = await attachmentsOf([
      {
        filename: 'event.ics',
        contentType: 'text/calendar; charset=utf-8',
        calendar: {
          calendarName: 'Assises',
          uid: 'edition-1@assises',
          start: '2027-03-10T08:00:00.000Z',
          end: '2027-03-11T16:00:00.000Z',
          summary: 'Assises\nEND:VEVENT',
          location: 'Lyon; salle 1',
          description: '',
          url: 'https://assises.example.org/registrations/1',
        },
      },
    ]);
    const text = ics.content.toString();
    expect(text).toContain('UID:edition-1@assises');
    expect(text).toContain('DTSTART:20270310T080000Z');
    expect(text).toContain('SUMMARY:Assises\\nEND:VEVENT');
    expect(text).toContain('LOCATION:Lyon\\; salle 1');
    expect(text.match(/^END:VEVENT/gm)).toHaveLength(1);
  });

  it('keeps header-breaking characters out of file names', async () => {
    const [file] = await attachmentsOf([
      { filename: 'a\r\nBcc: x@y.z.ics', contentType: 'text/plain', content: '' },
    ]);
    expect(file.filename).not.toMatch(/[\r\n]/);
  });
});
