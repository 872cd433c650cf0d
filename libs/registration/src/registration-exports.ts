import { Actor } from '@assises/accounts';
import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { formatCheckInCode } from './check-in-code';
import { RegistrationAdminService, RegistrationRow } from './registration-admin.service';
import { WorkshopAdminService, WorkshopAttendee } from './workshop-admin.service';

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

const WORKSHOP_COLUMNS: [string, (a: WorkshopAttendee) => string | number | null][] = [
  ['state', (a) => a.state],
  ['position', (a) => a.position],
  ['name', (a) => a.name],
  ['email', (a) => a.email],
  ['organisation', (a) => a.organisation],
  ['category', (a) => a.categoryKey],
  ['since', (a) => a.since.toISOString()],
  ['checked_in_at', (a) => a.checkedInAt?.toISOString() ?? ''],
];

/** A table as CSV: UTF-8 with a BOM (spreadsheets then read accents right), formula-safe. */
function toCsv<T>(columns: [string, (row: T) => unknown][], items: T[]): string {
  const rows = items.map((item) => columns.map(([, read]) => formulaSafe(read(item) as string)));
  return '\ufeff' + stringify([columns.map(([name]) => name), ...rows]);
}

async function toXlsx<T>(
  sheetName: string,
  columns: [string, (row: T) => unknown][],
  items: T[],
): Promise<Buffer> {
  // Loaded on first export: exceljs is large and most api processes never write a workbook.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow(columns.map(([name]) => name));
  // Strings only: exceljs writes them as text cells, never as formulas.
  for (const item of items)
    sheet.addRow(columns.map(([, read]) => formulaSafe(read(item) as string)));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * The organisers' exports, CSV (UTF-8 with BOM) and XLSX, formula-safe: the registrations, and
 * the people of one workshop (seated, then waiting in order).
 */
@Injectable()
export class RegistrationExports {
  constructor(
    private readonly admin: RegistrationAdminService,
    private readonly workshops: WorkshopAdminService,
  ) {}

  private async registrations(actor: Actor, slug: string): Promise<RegistrationRow[]> {
    return (await this.admin.list(actor, slug, { limit: 10_000 })).items;
  }

  async csv(actor: Actor, slug: string): Promise<string> {
    return toCsv(COLUMNS, await this.registrations(actor, slug));
  }

  async xlsx(actor: Actor, slug: string): Promise<Buffer> {
    return toXlsx('registrations', COLUMNS, await this.registrations(actor, slug));
  }

  private async workshopPeople(actor: Actor, slug: string, sessionId: string) {
    const detail = await this.workshops.detail(actor, slug, sessionId);
    return [...detail.confirmed, ...detail.waiting];
  }

  async workshopCsv(actor: Actor, slug: string, sessionId: string): Promise<string> {
    return toCsv(WORKSHOP_COLUMNS, await this.workshopPeople(actor, slug, sessionId));
  }

  async workshopXlsx(actor: Actor, slug: string, sessionId: string): Promise<Buffer> {
    return toXlsx('workshop', WORKSHOP_COLUMNS, await this.workshopPeople(actor, slug, sessionId));
  }
}
