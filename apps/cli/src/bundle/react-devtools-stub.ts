// Stands in for `react-devtools-core` in dist/browse-ui.mjs: Ink imports it only when DEV=true,
// to connect React DevTools, which the shipped CLI does not offer.
// Ink imports the package's default export, so the stand-in has one.
// eslint-disable-next-line no-restricted-syntax
export default {
  initialize(): void {},
  connectToDevTools(): void {},
};
