/**
 * The architecture's boundaries, checked in CI (npm run lint:arch). README "Architecture" states each rule.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'access-is-pure',
      comment: 'The engine (src/access) takes plain data and returns decisions: it imports only the catalog.',
      severity: 'error',
      from: { path: '^src/access/', pathNot: '\\.test\\.ts$' },
      to: { pathNot: ['^src/access/', '^src/catalog/'] },
    },
    {
      name: 'catalog-is-data',
      comment: 'The catalog is data with types: it imports nothing but itself.',
      severity: 'error',
      from: { path: '^src/catalog/' },
      to: { pathNot: '^src/catalog/' },
    },
    {
      name: 'infra-below-modules',
      comment: 'Infrastructure and HTTP plumbing serve the modules; they never import them.',
      severity: 'error',
      from: { path: '^src/(infra|http|db)/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'clients-through-the-contract',
      comment: 'The SDK and the portal see the server only through src/contract (schemas, types, the catalog).',
      severity: 'error',
      from: { path: '^(client|web)/' },
      to: { path: '^src/', pathNot: '^src/contract/' },
    },
    {
      name: 'contract-is-shapes',
      comment: 'The contract holds schemas and types: no services, repos, routes or database.',
      severity: 'error',
      from: { path: '^src/contract/' },
      to: { path: ['^src/(db|infra|http)/', '^src/modules/.+\\.(service|repo|routes)\\.ts$'] },
    },
    {
      name: 'no-cycles',
      comment: 'Modules form a tree: a cycle makes start-up order and reasoning depend on accidents.',
      severity: 'error',
      from: { path: '^(src|client|web)/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-cycles-through-types',
      comment: 'Type-only cycles too: they tie modules together just the same.',
      severity: 'error',
      from: { path: '^(src|client|web)/' },
      to: { circular: true },
    },
    {
      name: 'server-not-from-tests',
      comment: 'Production code never imports test support.',
      severity: 'error',
      from: { path: '^(src|client|web/src)/', pathNot: '\\.test\\.tsx?$' },
      to: { path: ['^test/', '\\.test\\.tsx?$', 'test-setup'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', '^dist', '^web/dist'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js'],
    },
    moduleSystems: ['es6'],
  },
};
