// word-extractor's Word 97 reader (a CommonJS class, internal to the package and without types of its own): see doc-read.ts.
declare module 'word-extractor/lib/word-ole-extractor.js' {
  const WordOleExtractor: unknown;
  export default WordOleExtractor;
}
