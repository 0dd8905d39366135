// Prints a PDF's text as a browser's PDF viewer reads it: pdf.js (Firefox's viewer) builds
// its text layer, which find-in-page, copy and paste and screen readers use, from the same
// text content. Usage: node tests/reports/pdfjs_text.mjs FILE.pdf
// Pages are separated by a form feed; a line ends where pdf.js says one ends.
import { readFile } from "node:fs/promises";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const data = new Uint8Array(await readFile(process.argv[2]));
// verbosity 0: errors only, so that nothing but the text reaches standard output.
const pdf = await getDocument({ data, verbosity: 0, disableFontFace: true }).promise;
const pages = [];
for (let number = 1; number <= pdf.numPages; number += 1) {
  const page = await pdf.getPage(number);
  const content = await page.getTextContent();
  pages.push(content.items.map((item) => item.str + (item.hasEOL ? "\n" : "")).join(""));
}
process.stdout.write(pages.join("\f"));
