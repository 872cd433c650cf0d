export * from './csv';
export * from './decision.service';
export * from './decisions.errors';
export * from './dto/decision.dto';
export * from './export.service';
export * from './stakeholder-mix';
export * from './stakeholder-mix.service';
