import { Actor } from '@assises/accounts';
import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { formatCheckInCode } from './check-in-code';
import { RegistrationAdminService, RegistrationRow } from './registration-admin.service';

/** A cell a spreadsheet would run as a formula (= + - @, tab, CR) gets a leading quote. */
export function formulaSafe(value: string | number | boolean | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const COLUMNS: [string, (r: RegistrationRow) => string | null][] = [
  ['name', (r) => r.name],
  ['email', (r) => r.email],
  ['organisation', (r) => r.organisation],
  ['role', (r) => r.role],
  ['category', (r) => r.categoryKey],
  ['state', (r) => r.state],
  ['stakeholder_type', (r) => r.stakeholderType],
  ['territory_type', (r) => r.territoryType],
  ['city_or_region', (r) => r.cityOrRegion],
  ['heard_from', (r) => r.heardFrom],
  ['accessibility_needs', (r) => r.accessibilityNeeds],
  ['dietary_needs', (r) => r.dietaryNeeds],
  ['public_listing', (r) => (r.publicListing ? 'yes' : 'no')],
  ['privacy_notice_version', (r) => r.privacyNoticeVersion],
  ['check_in_code', (r) => formatCheckInCode(r.checkInCode)],
  ['checked_in_at', (r) => r.checkedInAt?.toISOString() ?? ''],
  ['registered_at', (r) => r.createdAt.toISOString()],
  ['answers', (r) => JSON.stringify(r.answers)],
];

/** The organisers' exports of the registrations: CSV (UTF-8 with BOM) and XLSX, formula-safe. */
@Injectable()
export class RegistrationExports {
  constructor(private readonly admin: RegistrationAdminService) {}

  private async rows(actor: Actor, slug: string): Promise<string[][]> {
    const page = await this.admin.list(actor, slug, { limit: 10_000 });
    return page.items.map((r) => COLUMNS.map(([, read]) => formulaSafe(read(r))));
  }

  async csv(actor: Actor, slug: string): Promise<string> {
    const rows = await this.rows(actor, slug);
    return '\ufeff' + stringify([COLUMNS.map(([name]) => name), ...rows]);
  }

  async xlsx(actor: Actor, slug: string): Promise<Buffer> {
    const rows = await this.rows(actor, slug);
    // Loaded on first export: exceljs is large and most api processes never write a workbook.
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('registrations');
    sheet.addRow(COLUMNS.map(([name]) => name));
    // Strings only: exceljs writes them as text cells, never as formulas.
    for (const row of rows) sheet.addRow(row);
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }
}
