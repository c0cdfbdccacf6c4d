// The entry of dist/browse-ui.mjs: React and Ink in one ES module (Ink has top-level await, which
// the CommonJS bundle cannot hold), built by build.mjs and loaded only by `browse`. One file loads
// several times faster than Ink's ~100 modules (docs/cli.md#browse).
export * as Ink from 'ink';
export { default as React } from 'react';
