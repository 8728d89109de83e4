import { existsSync, readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { escapeForTerminalLines } from '@xunshi/report/core';
import { formatError } from './format-error.js';
import { createAnalyzer, rulesOptionsOf } from './analyzer.js';
import { runAnalyzeCommand, type AnalyzeCliOptions } from './analyze-command.js';
import { toOutputError } from './output.js';

/** The evaluation tools (gold folders, fitting, suggestions): loaded only by the commands that use them. */
const loadEval = (): Promise<typeof import('@xunshi/eval')> => import('@xunshi/eval');

/** Where the CLI writes and reads; injectable for tests. */
export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Stream the progress bar is drawn on (only when it is a terminal); default `process.stderr`. */
  progressStream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Read all of standard input (for the input `-` and `--files-from -`); default reads `process.stdin`. */
  readStdin?: () => Promise<Uint8Array>;
  /** `stdout` writes to a terminal (then no bar is drawn over the output going there); default false. */
  stdoutIsTerminal?: boolean;
  /** Columns of that terminal (the summary is fitted into them); default: none, nothing is cut. */
  stdoutColumns?: number;
}

/** The version of the xunshi package (its package.json is one folder above both `src/` and `dist/`). */
export function getVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

const defaultIo: CliIo = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  stdoutIsTerminal: process.stdout.isTTY === true,
  ...(process.stdout.isTTY === true && process.stdout.columns > 0 ? { stdoutColumns: process.stdout.columns } : {}),
};

/**
 * Exit codes: 0 all analysed, 1 some inputs failed (or a rule example failed), 2 usage or rule-file error. Elsewhere:
 * 130/143/129/141 when `analyze` is interrupted by SIGINT/SIGTERM/SIGHUP or its output pipe closes (see `analyze-command.ts`), 70
 * when the CLI itself fails unexpectedly (`bin/xunshi.js`).
 */
export const EXIT = { OK: 0, SOME_FAILED: 1, USAGE: 2, INTERNAL: 70 } as const;

/**
 * Run the xunshi command line with `argv` (without `node` and the script) and resolve to the exit code. Errors are
 * turned into text here and nowhere else: `path:line:col: message [code]`.
 */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  // Every relative path is read from the working folder: one removed since the shell entered it (a build folder
  // cleaned by another command) is a usage error, not a bug (process.cwd() throws ENOENT, uv_cwd).
  try {
    process.cwd();
  } catch (e) {
    io.stderr(formatError(new XunshiError(ERROR_CODES.USAGE, `the working folder no longer exists (${(e as NodeJS.ErrnoException).code ?? 'unreadable'}): cd to a folder that does, and run the command again`)) + '\n');
    return EXIT.USAGE;
  }
  let code: number = EXIT.OK;
  const program = new Command('xunshi')
    .description('Rules-based analyzer for Chinese party-inspection feedback reports')
    .version(getVersion(), '-V, --version', 'print the version of xunshi')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    // After a usage mistake commander would print the whole help (60 lines for analyze), scrolling the one line that
    // says what was wrong out of sight: a pointer to it instead.
    .showHelpAfterError("(add --help for the command's options)");
  // One folder per flag, repeatable (`--rules a --rules b`): a variadic `<dir...>` would take the inputs after it too.
  const rulesOption = (): Option =>
    new Option('--rules <dir>', 'rules folder to use instead of the shipped ones (repeat the flag for several)').argParser((value: string, previous: string[] | undefined) => {
      // An empty value (a blank variable) named the working folder, which was then read as a rules folder, whole.
      if (value === '') throw new InvalidArgumentError('--rules expects a folder, got an empty value');
      return [...(previous ?? []), value];
    });

  program
    .command('analyze')
    .description('analyse reports (.txt, .md, .html, .mht, .docx, .doc, .rtf, .xlsx, .xls, .csv, .tsv, .odt, .pdf, .ofd; images .png, .jpg, .bmp, .tif, .gif, .webp, .heic by OCR with --ocr; .zip archives of them): files, folders (recursive), glob patterns, - for standard input')
    .argument('[inputs...]', 'report files, folders, glob patterns, or - for standard input')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['json', 'jsonl', 'csv', 'summary', 'html']).default('summary'))
    .option('-o, --out <path>', 'output folder (json: one NAME.json per input; html: one NAME.html per input and index.html) or file (jsonl, csv, summary); default: standard output')
    .addOption(new Option('--per <unit>', 'CSV rows: one per passage or one per document').choices(['passage', 'document']))
    .option('-j, --jobs <n>', 'worker threads (default: available parallelism)')
    .option('--files-from <list>', 'read input paths from LIST, one per line (- for standard input)')
    .option('-q, --quiet', 'no progress bar and no per-file messages on standard error')
    .addOption(rulesOption())
    .option('--extend-rules', 'add --rules to the shipped rules instead of replacing them')
    .addOption(new Option('--encoding <encoding>', 'input encoding: auto, utf-8, gb18030 (GBK and GB2312 are read as it) or big5, in any case').argParser(parseEncoding).default('auto'))
    .addOption(new Option('--format-in <format>', 'read every input as this format (default: from magic bytes and extension)').choices(['text', 'markdown', 'html', 'mhtml', 'docx', 'doc', 'rtf', 'xlsx', 'xls', 'csv', 'pdf', 'ofd', 'odt', 'image']))
    .option('--max-size <size>', 'largest input in bytes, or with a unit: 500K, 50M, 1G (default: 20M); larger ones are error entries')
    .option('--timeout <seconds>', 'time budget per input (default: 120; 0 for none), 30 s more for each page read by OCR (up to 10 times itself); past it the input is an error entry')
    .option('--ocr', 'read PDF and OFD pages that have no text (scans), images (.png, .jpg, .bmp, .tif, .gif, .webp, .heic; taken from folders only with this), and the pictures of Word documents and web pages of scans, by OCR (Simplified Chinese; about 5 s a page)')
    .option('--join-images', "with --ocr: the images of each folder (or folder of a zip archive) are the pages of one report, named by the folder, in the order of the numbers in their names (IMG_2 before IMG_10): a phone's photographs or a scanner's files of one report's pages")
    .option('--incremental', "with --format json or html and --out DIR: keep each report DIR already holds whose input is unchanged since the run that wrote it (same bytes and path, same xunshi, rules and reading options, its file untouched) instead of analysing it again; DIR/.xunshi-manifest.json records what each run wrote")
    .action(async (specs: string[], opts: AnalyzeCliOptions) => {
      code = await runAnalyzeCommand(specs, opts, io);
    });

  const rules = program.command('rules').description('work with rule files');
  rules
    .command('test')
    .description("run every rule's match/noMatch examples")
    .addOption(rulesOption())
    .option('--extend-rules', 'add --rules to the shipped rules instead of replacing them')
    .action((opts: { rules?: string[]; extendRules?: boolean }) => {
      const analyzer = createAnalyzer(rulesOptionsOf(opts));
      const result = analyzer.testRules();
      for (const f of result.failures) io.stdout(escapeForTerminalLines(`${f.file}:${f.line}:${f.column}: ${f.message}${f.text ? ` (example: ${f.text})` : ''} [${ERROR_CODES.RULE_EXAMPLE_FAILED}]`) + '\n');
      for (const e of result.exceptions) io.stdout(escapeForTerminalLines(`${e.rule}: noMatch examples without a term allowed: ${e.reason}`) + '\n');
      io.stdout(`${result.rules} rules, ${result.examples} examples: ${result.examples - result.failed} passed, ${result.failed} failed\n`);
      io.stdout(`${result.noMatchWithTerm} noMatch examples of terms/near rules contain a term; ${result.exceptions.length} rules excused (noMatchWithoutTerm)\n`);
      if (result.failures.length) code = EXIT.SOME_FAILED;
    });

  rules
    .command('fit')
    .description('fit the function model (or the category model) on gold folders, cross-validated by site; --out FILE writes the model there (the shipped ones are rules/function-model.json and rules/category-model.json)')
    .requiredOption('--gold <dir...>', 'gold folder(s); documents whose index.tsv says part=held-out are refused')
    .addOption(new Option('--model <model>', 'which model to fit').choices(['function', 'category']).default('function'))
    .option('-o, --out <file>', 'write the fitted weights here (JSON, atomically)')
    .addOption(rulesOption())
    .option('--extend-rules', 'add --rules to the shipped rules instead of replacing them')
    .option('--folds <n>', 'cross-validation folds (sites dealt round-robin; at most the number of sites)', (v) => wholeNumber('--folds', v, 2), 5)
    .option('--repeats <n>', `cross-validate this many times with the sites split in other orders and report the mean (function model; at most ${MAX_REPEATS})`, (v) => wholeNumber('--repeats', v, 1, MAX_REPEATS), 1)
    .option('--threshold <t>', 'the category model keeps a candidate whose score exceeds this (default: the one cross-validation chooses)', (v) => (v.trim() === '' ? Number.NaN : Number(v)))
    .option('--no-function-folds', 'cross-validate the category model under the shipped function model (fitted on these units) instead of function models fitted without each fold')
    .action(async (opts: { gold: string[]; model: string; out?: string; rules?: string[]; extendRules?: boolean; folds: number; repeats: number; threshold?: number; functionFolds: boolean }) => {
      const { fitCategoryFromGold, formatCategoryFitText, formatCategoryModel, fitFromGold, formatFitText, formatFunctionModel, writeFileAtomic } = await loadEval();
      if (opts.model !== 'category' && !opts.functionFolds) throw new XunshiError(ERROR_CODES.USAGE, '--no-function-folds applies to the category model only (--model category)');
      if (opts.model === 'category' && opts.repeats !== 1) throw new XunshiError(ERROR_CODES.USAGE, '--repeats applies to the function model only (--model function)');
      if (opts.threshold !== undefined && (opts.model !== 'category' || !Number.isFinite(opts.threshold))) {
        throw new XunshiError(ERROR_CODES.USAGE, opts.model !== 'category' ? '--threshold applies to the category model only (--model category)' : '--threshold must be a number');
      }
      const analyzer = createAnalyzer(rulesOptionsOf(opts));
      // --out - writes the model to standard output, as analyze does; the fit's report then goes to standard error.
      const report = opts.out === STDOUT_PATH ? io.stderr : io.stdout;
      const save = (model: string): void => {
        if (!opts.out) return;
        if (opts.out === STDOUT_PATH) return void io.stdout(model);
        writeOut(writeFileAtomic, opts.out, model);
        io.stdout(`wrote ${opts.out}\n`);
      };
      if (opts.model === 'category') {
        const result = fitCategoryFromGold(analyzer, opts.gold, { folds: opts.folds, functionFolds: opts.functionFolds, ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}) });
        report(formatCategoryFitText(result));
        save(formatCategoryModel(result));
        return;
      }
      const result = fitFromGold(analyzer, opts.gold, { folds: opts.folds, repeats: opts.repeats });
      report(formatFitText(result));
      save(formatFunctionModel(result));
    });

  rules
    .command('suggest')
    .description('phrases (n-grams of 1-3 tokens) that distinguish a label in gold where the analyzer missed it and no rule matches')
    .requiredOption('--gold <dir>', 'gold folder (documents whose index.tsv says part=held-out are never read)')
    .option('--label <id>', 'only this function, category, subcategory or root-cause id (default: every label of the gold)')
    .option('--top <n>', 'phrases per label', (v) => positiveInt('--top', v), 10)
    .option('--part <part>', "only the documents of this part of the gold folder's index.tsv (tuning)")
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(rulesOption())
    .option('--extend-rules', 'add --rules to the shipped rules instead of replacing them')
    .action(async (opts: { gold: string; label?: string; top: number; part?: string; format: string; rules?: string[]; extendRules?: boolean }) => {
      const { checkSuggestOptions, formatSuggestText, suggestPhrases } = await loadEval();
      const options = { top: opts.top, ...(opts.label !== undefined ? { label: opts.label } : {}), ...(opts.part !== undefined ? { part: opts.part } : {}) };
      // Usage errors (label, part) before the rules are compiled.
      checkSuggestOptions(opts.gold, options);
      const result = suggestPhrases(createAnalyzer(rulesOptionsOf(opts)), opts.gold, options);
      io.stdout(opts.format === 'json' ? JSON.stringify(result, null, 2) + '\n' : escapeForTerminalLines(formatSuggestText(result)));
    });

  rules
    .command('audit')
    .description('how each rule fares on gold: units where its evidence stands behind an output label, how many gold agrees with, sites; flags rules seen in one site only')
    .requiredOption('--gold <dir...>', 'gold folder(s) (documents whose index.tsv says part=held-out are never read)')
    .option('--part <part>', "only the documents of this part of each folder's index.tsv (tuning)")
    .option('--rule <id>', 'only this rule, or the rules under this prefix (conduct, conduct.formalism)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(rulesOption())
    .option('--extend-rules', 'add --rules to the shipped rules instead of replacing them')
    .action(async (opts: { gold: string[]; part?: string; rule?: string; format: string; rules?: string[]; extendRules?: boolean }) => {
      const { auditRules, checkSuggestOptions, formatAuditText } = await loadEval();
      const part = opts.part !== undefined ? { part: opts.part } : {};
      // Usage errors (part, missing folders) before the rules are compiled.
      for (const dir of opts.gold) checkSuggestOptions(dir, part);
      const analyzer = createAnalyzer(rulesOptionsOf(opts));
      const rule = opts.rule;
      if (rule !== undefined && !analyzer.ruleset.rules.some((r) => r.id === rule || r.id.startsWith(`${rule}.`))) {
        throw new XunshiError(ERROR_CODES.USAGE, `--rule ${JSON.stringify(rule)}: no rule has this id or lies under it (ids look like conduct.formalism.NAME)`);
      }
      const result = auditRules(analyzer, opts.gold, { ...part, ...(rule !== undefined ? { rule } : {}) });
      io.stdout(opts.format === 'json' ? JSON.stringify(result, null, 2) + '\n' : escapeForTerminalLines(formatAuditText(result)));
    });

  program
    .command('eval')
    .description('score the analyzer against gold annotations (taxonomy.md protocol)')
    .requiredOption('--gold <dir>', 'folder with NAME.txt/NAME.md and NAME.gold.json files')
    .addOption(rulesOption())
    .option('--extend-rules', 'add --rules to the shipped rules instead of replacing them')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--worst <n>', 'how many of the worst units to list (default 20; 0 for the held-out part, which is never read while writing rules)', (v) => nonNegativeInt('--worst', v))
    .option('--part <part>', "score only the documents of this part of the gold folder's index.tsv (tuning, held-out)")
    .option('--per-document', "list each document's figures (the default, except for the held-out part, which is scored in aggregate only)")
    .option('--intervals [n]', `also give 95% intervals of the headline figures from n resamples of the documents (default 1000, at most ${MAX_RESAMPLES})`, (v) => wholeNumber('--intervals', v, 1, MAX_RESAMPLES))
    .option('--versus <dir...>', 'also score these rules folders (as --rules would) and give the difference with 95% paired intervals over documents')
    .option('--baseline [trainDir]', 'also train a naive Bayes baseline (natural) on trainDir (default: corpus) and score it on --gold')
    .option('--out-of-fold <dir...>', "refit the rules' fitted models on these gold folders by site fold and read each document with the models fitted without its site, as a text from a new site is read")
    .action(async (opts: { gold: string; rules?: string[]; extendRules?: boolean; format: string; worst?: number; part?: string; intervals?: number | true; versus?: string[]; baseline?: string | boolean; perDocument?: boolean; outOfFold?: string[] }) => {
      const { createOutOfFoldAnalyzer, evaluateBaseline, evaluateGold, findGoldDocuments, formatEvalText, formatHeadline, formatPairedIntervals, pairedIntervals } = await loadEval();
      // The part is checked before the rules are compiled: a wrong --part is a quick usage error.
      if (opts.part !== undefined) findGoldDocuments(opts.gold, { part: opts.part });
      if (opts.outOfFold) for (const dir of opts.outOfFold) findGoldDocuments(dir);
      // The baseline's training folder, like every rules folder, is checked before anything is scored.
      const baselineDir = opts.baseline ? (typeof opts.baseline === 'string' ? opts.baseline : 'corpus') : undefined;
      if (baselineDir !== undefined && !existsSync(baselineDir)) {
        throw new XunshiError(ERROR_CODES.USAGE, `--baseline: the training folder ${baselineDir} does not exist${typeof opts.baseline === 'string' ? '' : ' (the default, corpus, is the project\'s own sample reports, found from the repository\'s root: name a folder of gold with --baseline DIR)'}`);
      }
      // With --out-of-fold, every analyzer reads each document with its models refitted without the document's site.
      const outOfFold = (a: ReturnType<typeof createAnalyzer>) => (opts.outOfFold ? createOutOfFoldAnalyzer(a, opts.outOfFold) : undefined);
      const own = createAnalyzer(rulesOptionsOf(opts));
      // The other rules are compiled (and refused when broken) before anything is scored.
      const otherAnalyzer = opts.versus ? createAnalyzer(rulesOptionsOf({ rules: opts.versus, ...(opts.extendRules ? { extendRules: true } : {}) })) : undefined;
      const ownFolds = outOfFold(own);
      const analyzer = ownFolds?.analyzer ?? own;
      // The held-out part is scored, never read: its worst units are listed only when asked for.
      const worst = opts.worst ?? (opts.part === 'held-out' ? 0 : 20);
      const intervals = opts.intervals === true ? 1000 : opts.intervals;
      const part = opts.part !== undefined ? { part: opts.part } : {};
      const { perDocumentCounts, ...scored } = evaluateGold(analyzer, opts.gold, { worst, ...part, ...(intervals !== undefined ? { intervals } : {}), keepCounts: opts.versus !== undefined });
      // Like its worst units, the held-out part's per-document figures are listed only when asked for: it is scored in
      // aggregate, never read document by document while rules are written.
      const hideDocuments = opts.part === 'held-out' && !opts.perDocument;
      const result = hideDocuments ? { ...scored, perDocument: [], perDocumentHidden: true } : scored;
      // The same documents scored with the other rules, and the paired difference (these minus those).
      let versus: { rules: string[]; overall: ReturnType<typeof evaluateGold>['overall']; difference: ReturnType<typeof pairedIntervals> } | undefined;
      if (opts.versus && otherAnalyzer) {
        const other = evaluateGold(outOfFold(otherAnalyzer)?.analyzer ?? otherAnalyzer, opts.gold, { worst: 0, ...part, keepCounts: true });
        versus = { rules: opts.versus, overall: other.overall, difference: pairedIntervals(perDocumentCounts!, other.perDocumentCounts!, { resamples: intervals ?? 1000 }) };
      }
      const baseline = baselineDir !== undefined ? evaluateBaseline(analyzer, baselineDir, opts.gold, opts.part !== undefined ? { part: opts.part } : {}) : undefined;
      const folds = ownFolds ? { folders: ownFolds.folders, folds: ownFolds.folds, sites: ownFolds.sites, models: ownFolds.models } : undefined;
      if (opts.format === 'json') {
        io.stdout(JSON.stringify({ ...result, ...(folds ? { outOfFold: folds } : {}), ...(versus ? { versus } : {}), ...(baseline ? { baseline } : {}) }, null, 2) + '\n');
        return;
      }
      const what = `rules${opts.part !== undefined ? `, part ${opts.part}` : ''}${folds ? `; ${folds.models.join(' and ')} model${folds.models.length > 1 ? 's' : ''} out of fold: refitted on ${folds.folders.join(', ')} without each document's site (${folds.folds} folds, ${folds.sites} sites)` : ''}`;
      io.stdout(escapeForTerminalLines(formatEvalText(result, what)));
      if (versus) {
        io.stdout(`\nversus ${versus.rules.join(', ')}: ${formatHeadline(versus.overall)}\n`);
        io.stdout(formatPairedIntervals(versus.difference) + '\n');
      }
      if (baseline) {
        io.stdout(`\nrules     ${formatHeadline(result.overall)}\n`);
        io.stdout(`baseline  ${formatHeadline(baseline.figures)}  [naive Bayes over jieba tokens, trained on ${baseline.train} units]\n`);
      }
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    const err = toXunshiError(e);
    io.stderr(formatError(err) + '\n');
    if (err.code === ERROR_CODES.INTERNAL) return EXIT.INTERNAL;
    return err.code === ERROR_CODES.RULE_INVALID || err.code === ERROR_CODES.USAGE || err.code === ERROR_CODES.GOLD_INVALID ? EXIT.USAGE : EXIT.SOME_FAILED;
  }
  return code;
}

/** Anything thrown outside an input's analysis (inputs have their own error entries, see `toInputError`). */
function toXunshiError(e: unknown): XunshiError {
  return e instanceof XunshiError ? e : new XunshiError(ERROR_CODES.INTERNAL, (e as Error)?.message ?? String(e));
}

/** The spellings of an encoding users write (UTF-8, utf8, GBK, GB2312, CP936, Big5-HKSCS) read as the names xunshi uses. */
const ENCODING_ALIASES: Readonly<Record<string, string>> = {
  auto: 'auto', 'utf-8': 'utf-8', utf8: 'utf-8', gb18030: 'gb18030', 'gb-18030': 'gb18030', gbk: 'gb18030', gb2312: 'gb18030', cp936: 'gb18030',
  big5: 'big5', 'big5-hkscs': 'big5', cp950: 'big5',
};

function parseEncoding(raw: string): string {
  const name = ENCODING_ALIASES[raw.trim().toLowerCase()];
  if (name === undefined) throw new InvalidArgumentError(`--encoding expects auto, utf-8, gb18030 (or gbk, gb2312) or big5, got "${raw}"`);
  return name;
}

/** Most resamples `eval --intervals` takes: 1,000 is the default, 100,000 already takes minutes. */
const MAX_RESAMPLES = 100_000;
/** Most cross-validation repeats `rules fit --repeats` takes (each one fits every fold again). */
const MAX_REPEATS = 100;

/** Write a fitted model with `write` (the eval package's atomic writer): a failure is XUNSHI_OUTPUT_FAILED, as `analyze`'s. */
/** The path that names standard output. */
const STDOUT_PATH = '-';

function writeOut(write: (path: string, text: string) => void, path: string, text: string): void {
  try {
    write(path, text);
  } catch (e) {
    throw toOutputError(e);
  }
}

/** A whole number from `min` to `max` for an option, else a usage error that names the option. */
function wholeNumber(option: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min) throw new InvalidArgumentError(`${option} expects a whole number of at least ${min}, got "${raw}"`);
  if (Number(raw) > max) throw new InvalidArgumentError(`${option} expects a whole number of at most ${max}, got "${raw}"`);
  return Number(raw);
}
const nonNegativeInt = (option: string, raw: string): number => wholeNumber(option, raw, 0);
const positiveInt = (option: string, raw: string): number => wholeNumber(option, raw, 1);
