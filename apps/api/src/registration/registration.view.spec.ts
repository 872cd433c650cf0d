import type { Edition } from '@assises/editions';
import type { RegistrationDashboard } from '@assises/registration';
import { mixTable } from './registration.view';

const dashboard = (
  mix: RegistrationDashboard['mix'],
  previous: RegistrationDashboard['previous'],
): RegistrationDashboard => ({
  edition: {} as Edition,
  capacity: 100,
  seatsLeft: 90,
  totals: { confirmed: 0, offered: 0, waiting: 0, cancelled: 0, checkedIn: 0 },
  categories: [],
  mix,
  previous,
});

describe(mixTable.name, () => {
  const stakeholders = ['company', 'local_authority', 'other'];
  const territories = ['rural', 'urban'];

  it('gives each cell its count and share, and lists only the types met', () => {
    const table = mixTable(
      dashboard(
        [
          { stakeholderType: 'company', territoryType: 'rural', count: 3 },
          { stakeholderType: 'local_authority', territoryType: 'urban', count: 1 },
        ],
        null,
      ),
      stakeholders,
      territories,
    );
    expect(table.total).toBe(4);
    expect(table.previous).toBeNull();
    expect(table.rows.map((r) => r.type)).toEqual(['company', 'local_authority']);
    expect(table.rows[0].cells).toEqual([
      { count: 3, share: 75, previousCount: null, previousShare: null },
      { count: 0, share: 0, previousCount: null, previousShare: null },
    ]);
    expect(table.rows[1].all).toEqual({
      count: 1,
      share: 25,
      previousCount: null,
      previousShare: null,
    });
  });

  it('sets the previous edition beside, keeping a type seen only then', () => {
    const table = mixTable(
      dashboard([{ stakeholderType: 'company', territoryType: 'urban', count: 2 }], {
        slug: 'lyon-2017',
        title: 'Lyon 2017',
        confirmed: 8,
        mix: [
          { stakeholderType: 'company', territoryType: 'urban', count: 2 },
          { stakeholderType: 'other', territoryType: 'rural', count: 6 },
        ],
      }),
      stakeholders,
      territories,
    );
    expect(table.previous).toEqual({ title: 'Lyon 2017', confirmed: 8 });
    expect(table.rows.map((r) => r.type)).toEqual(['company', 'other']);
    expect(table.rows[0].all).toEqual({
      count: 2,
      share: 100,
      previousCount: 2,
      previousShare: 25,
    });
    expect(table.rows[1].cells[0]).toEqual({
      count: 0,
      share: 0,
      previousCount: 6,
      previousShare: 75,
    });
  });
});
