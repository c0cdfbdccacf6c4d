// Stands in for the `string-width` package inside the bundle (see build.mjs): yargs measures its
// help text with string-width, whose module builds an Intl.Segmenter on load. `displayWidth`
// gives the same widths (format/text-width.test.ts checks it against string-width) and builds its
// segmenter only when a non-ASCII string is measured.
export { displayWidth as default } from '../format/text-width.js';
