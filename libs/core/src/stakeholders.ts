/**
 * Who takes part in the Assises, so organisers can see whose voice is missing: the same lists
 * for speakers (call for contributions), attendees (registration) and survey results.
 */
export enum StakeholderType {
  AcademicResearcher = 'academic_researcher',
  AssociationNetwork = 'association_network',
  Company = 'company',
  CoworkerIndependent = 'coworker_independent',
  CoworkingOperator = 'coworking_operator',
  LocalAuthority = 'local_authority',
  Other = 'other',
  ProjectHolder = 'project_holder',
}

/** Where they work from. */
export enum TerritoryType {
  Periurban = 'periurban',
  Rural = 'rural',
  Urban = 'urban',
}
