import { parseDocument } from '../../packages/document/src/index.js';

/** The lines of a sample and, for the lines the text reader takes as headings, their level (to write the sample in other formats with the same outline). */
export function outline(text: string): { line: string; level?: number }[] {
  const doc = parseDocument(text);
  const levelAt = new Map(doc.headings.map((h) => [h.start, h.level]));
  let offset = 0;
  return text.split('\n').flatMap((raw) => {
    const start = offset;
    offset += raw.length + 1;
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return [];
    const lead = line.length - line.trimStart().length;
    const level = levelAt.get(start + lead);
    return [level === undefined ? { line } : { line, level }];
  });
}
