// Shapes of the registry API as the SPA uses them, taken from the generated paths.
import type { paths } from './registry';

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

export type PersonSummary = Json<paths['/registry/persons']['get']['responses'][200]>[number];
export type PersonCreate = Json<paths['/registry/persons']['post']['requestBody']>;
export type Counsellor = Json<paths['/registry/counsellors']['get']['responses'][200]>[number];
export type Gender = NonNullable<PersonCreate['gender']>;
export type HeardAbout = NonNullable<PersonCreate['heard_about']>;
