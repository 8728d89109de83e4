/**
 * The file of an `--out` folder (`--format json` or `html`) that records what the run that wrote the folder wrote: for
 * each report file, the input it came from (path and digest), the digest of the file as written, and under what
 * xunshi, rules and reading options (one key for the folder). Hidden, so that `DIR/*.json` still lists reports only
 * and a folder walk never reads it; a folder that holds one is xunshi's output, which a folder walk leaves out.
 * `--incremental` keeps a report whose input, file and key are unchanged.
 */
export const MANIFEST_FILE = '.xunshi-manifest.json';
