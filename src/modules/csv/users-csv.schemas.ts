import { Type, type Static } from '@sinclair/typebox';
import { UserListQuery } from '../users/users.schemas.js';

const lit = <T extends string>(...v: T[]) => Type.Union(v.map((x) => Type.Literal(x)));

/** The users list's filters, and how the file is written. */
export const UsersExportQuery = Type.Object(
  {
    q: UserListQuery.properties.q,
    source: UserListQuery.properties.source,
    status: UserListQuery.properties.status,
    licence: UserListQuery.properties.licence,
    supervisorLevel: UserListQuery.properties.supervisorLevel,
    group: UserListQuery.properties.group,
    queue: UserListQuery.properties.queue,
    delimiter: Type.Optional(lit(',', ';')),
    bom: Type.Optional(Type.Boolean({ description: 'start with a UTF-8 byte order mark (for spreadsheets)' })),
  },
  { additionalProperties: false },
);
export type UsersExportQuery = Static<typeof UsersExportQuery>;

export const UsersImportQuery = Type.Object(
  {
    dryRun: Type.Optional(Type.Boolean({ default: false, description: 'check every row and write nothing' })),
    mode: Type.Optional(
      Type.Union([Type.Literal('all'), Type.Literal('valid')], {
        default: 'all',
        description:
          '`all`: every row or none (any error writes nothing); `valid`: the valid rows, the others reported',
      }),
    ),
  },
  { additionalProperties: false },
);
export type UsersImportQuery = Static<typeof UsersImportQuery>;

export const ImportJobParams = Type.Object({
  t: Type.String({ minLength: 1, maxLength: 100 }),
  job: Type.String({ minLength: 1, maxLength: 100 }),
});

export const ImportRowError = Type.Object({
  row: Type.Integer({ description: 'the row of the file (the header is row 1)' }),
  column: Type.Union([Type.String(), Type.Null()], { description: 'the column the error is about, when one is' }),
  code: Type.String(),
  rule: Type.Union([Type.String(), Type.Null()]),
  detail: Type.String(),
});
export type ImportRowError = Static<typeof ImportRowError>;

export const ImportRowOutcome = Type.Object({
  row: Type.Integer(),
  action: lit('create', 'update', 'unchanged', 'invalid'),
  userId: Type.Union([Type.String(), Type.Null()]),
  displayName: Type.String(),
  changes: Type.Array(Type.String(), { description: 'the columns the row changes' }),
});
export type ImportRowOutcome = Static<typeof ImportRowOutcome>;

export const ImportResult = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  invalid: Type.Integer(),
  errors: Type.Array(ImportRowError, { description: 'per-row errors, the first 1,000' }),
  errorsTruncated: Type.Boolean(),
  rows: Type.Array(ImportRowOutcome, { description: 'what each row does, the first 1,000 rows' }),
  rowsTruncated: Type.Boolean(),
  failure: Type.Optional(Type.String({ description: 'why the import stopped (status `failed`)' })),
  failureCode: Type.Optional(
    Type.Union([Type.Literal('internal_error'), Type.Literal('import_interrupted')], {
      description:
        'status `failed`: `internal_error` (the import stopped on an error), `import_interrupted` (the node running it stopped: its lease ran out); nothing was written either way',
    }),
  ),
});
export type ImportResult = Static<typeof ImportResult>;

export const ImportJob = Type.Object(
  {
    id: Type.String(),
    status: lit('running', 'done', 'rejected', 'failed'),
    dryRun: Type.Boolean(),
    mode: lit('all', 'valid'),
    totalRows: Type.Integer(),
    processedRows: Type.Integer(),
    result: Type.Union([ImportResult, Type.Null()]),
    createdAt: Type.String(),
    finishedAt: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'UserImportJob' },
);
export type ImportJob = Static<typeof ImportJob>;
