// Stands in for the `bindings` package inside the sessions-db bundles (see apps/*/build.mjs),
// which carry better-sqlite3's JavaScript (it then loads with the bundle's code cache instead of
// as a dozen separate files) but not its compiled addon. better-sqlite3 calls
// `require('bindings')('better_sqlite3.node')` only when it is not told where the addon is (the
// store tells it: see packages/store/src/sqlite-addon.ts; the content index does not).
// `bindings` would search from the bundle's directory, trying a dozen paths, so this looks in the
// installed better-sqlite3 package instead: where its install builds the addon, else with that
// package's own `bindings`. CommonJS (`export =`): better-sqlite3 calls the module.

type Bindings = (options: { bindings: string; module_root: string }) => unknown;

/**
 * Load the compiled addon `name` of the installed better-sqlite3: from `build/Release`, where its
 * install puts it, else wherever `bindings` finds it in that package.
 */
function bindings(name: string): unknown {
  const { createRequire } = process.getBuiltinModule('node:module');
  const { dirname, join } = process.getBuiltinModule('node:path');
  const { existsSync } = process.getBuiltinModule('node:fs');
  const manifest = createRequire(__filename).resolve('better-sqlite3/package.json');
  const fromPackage = createRequire(manifest);
  const built = join(dirname(manifest), 'build', 'Release', name);
  if (existsSync(built)) return fromPackage(built);
  const load = fromPackage('bindings') as Bindings;
  return load({ bindings: name, module_root: dirname(manifest) });
}

export = bindings;
