/**
 * `flink-lens keys <assign|analyze|balanced|layout>`: the key-group helper on the command line.
 * It calls the same service as the HTTP API (src/keygroups/service.ts); `--json` prints exactly
 * the API's response body, otherwise tables and bar charts (src/keygroups/text-report.ts).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { KeyGroupArgumentError } from '../keygroups/assignment.ts';
import { rawKeyFromText } from '../keygroups/key-text.ts';
import { resolveKeySpec } from '../keygroups/key-types.ts';
import { DEFAULT_KEYGROUP_LIMITS, type KeyGroupLimits } from '../keygroups/limits.ts';
import { analyzeKeys, assignKeys, balancedKeys, layoutReport } from '../keygroups/service.ts';
import { renderAnalyze, renderAssign, renderBalanced, renderLayout } from '../keygroups/text-report.ts';

export interface KeysIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Local runs may feed whole record samples; the HTTP limit protects a shared server instead. */
const CLI_LIMITS: KeyGroupLimits = { ...DEFAULT_KEYGROUP_LIMITS, maxKeys: 5_000_000 };

const OPTIONS = {
  parallelism: { type: 'string', short: 'p' },
  'max-parallelism': { type: 'string', short: 'm' },
  'key-type': { type: 'string', short: 't' },
  'field-types': { type: 'string', short: 'f' },
  prefix: { type: 'string' },
  'per-subtask': { type: 'string', short: 'k' },
  file: { type: 'string' },
  counts: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionName = keyof typeof OPTIONS;
type Values = Partial<Record<OptionName, string | boolean>>;

const COMMON: OptionName[] = ['parallelism', 'max-parallelism', 'json', 'help'];
const ALLOWED: Record<string, OptionName[]> = {
  assign: [...COMMON, 'key-type', 'field-types', 'file'],
  analyze: [...COMMON, 'key-type', 'field-types', 'file', 'counts'],
  balanced: [...COMMON, 'key-type', 'prefix', 'per-subtask'],
  layout: COMMON,
};

const USAGE = `Usage: flink-lens keys <command> [options] [keys...]

Commands:
  assign     key group and subtask of each key
  analyze    predicted load per subtask, skew score and advice for a key sample
  balanced   keys that Flink routes to each subtask
  layout     key-group range per subtask and how even the split is

Options:
  -p, --parallelism <n>       operator parallelism (required)
  -m, --max-parallelism <n>   maxParallelism (default: Flink's default for the parallelism)
  -t, --key-type <type>       assign/analyze (required): int, long, string, boolean, double, tuple, sql
                              balanced: int (default) or string
  -f, --field-types <list>    tuple: e.g. string,int   sql: e.g. BIGINT,VARCHAR,DECIMAL(10,2)
      --prefix <text>         balanced string keys are <prefix><n>
  -k, --per-subtask <n>       balanced: keys per subtask (default 1)
      --file <path>           read keys from a file, one per line ("-" = stdin)
      --counts                analyze: lines are "<count> <key>", as printed by "sort | uniq -c"
      --json                  print the HTTP API's JSON response instead of tables
  -h, --help                  show this help

Keys come from the arguments, --file, or stdin (one per line; blank lines are skipped). tuple and
sql keys are JSON arrays, e.g. '[42,"eu",null]'. Put "--" before keys that start with "-", e.g.
  flink-lens keys assign -t int -p 4 -- -1 -2
In analyze every line counts once, so a raw sample of record keys gives their frequencies.
`;

class UsageError extends Error {}

function integerOption(values: Values, name: OptionName): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw)) throw new UsageError(`--${name} must be a positive integer, got "${String(raw)}"`);
  return Number(raw);
}

function requiredString(values: Values, name: OptionName): string {
  const raw = values[name];
  if (typeof raw !== 'string' || raw === '') throw new UsageError(`--${name} is required`);
  return raw;
}

async function readText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

interface KeyLine {
  text: string;
  line: number;
}

/** Key lines from the arguments, --file or stdin; `-` (as argument or file) reads stdin. */
async function keyLines(values: Values, positionals: string[], io: KeysIo): Promise<KeyLine[]> {
  const file = values.file as string | undefined;
  const fromArgs = positionals.filter((p) => p !== '-');
  const wantsStdin = file === '-' || positionals.includes('-') || (file === undefined && positionals.length === 0);
  if (file === undefined && positionals.length === 0 && (io.stdin as { isTTY?: boolean }).isTTY) {
    throw new UsageError('no keys given: pass them as arguments, with --file, or on stdin');
  }
  const texts: string[] = [];
  if (file !== undefined && file !== '-') texts.push(await readFile(file, 'utf8'));
  if (wantsStdin) texts.push(await readText(io.stdin));
  const lines: KeyLine[] = fromArgs.map((text, i) => ({ text, line: i + 1 }));
  for (const text of texts) {
    text.split(/\r?\n/).forEach((line, i) => {
      if (line !== '') lines.push({ text: line, line: i + 1 });
    });
  }
  return lines;
}

/** `uniq -c` lines: right-aligned count, one space, the key. */
function splitCounts(lines: KeyLine[]): { keys: KeyLine[]; weights: number[] } {
  const keys: KeyLine[] = [];
  const weights: number[] = [];
  for (const l of lines) {
    const match = /^\s*(\d+) (.*)$/.exec(l.text);
    if (!match) throw new UsageError(`line ${l.line}: expected "<count> <key>" with --counts, got ${JSON.stringify(l.text.slice(0, 60))}`);
    weights.push(Number(match[1]));
    keys.push({ text: match[2]!, line: l.line });
  }
  return { keys, weights };
}

async function compute(command: string, values: Values, positionals: string[], io: KeysIo): Promise<{ json: unknown; text: string }> {
  const parallelism = integerOption(values, 'parallelism');
  if (parallelism === undefined) throw new UsageError('--parallelism (-p) is required');
  const maxParallelism = integerOption(values, 'max-parallelism');
  if (command === 'layout') {
    const r = layoutReport({ parallelism, maxParallelism });
    return { json: r, text: renderLayout(r) };
  }
  if (command === 'balanced') {
    const keyType = values['key-type'] as string | undefined;
    const prefix = values.prefix as string | undefined;
    const r = balancedKeys({ parallelism, maxParallelism, keyType, prefix, perSubtask: integerOption(values, 'per-subtask') }, CLI_LIMITS);
    return { json: r, text: renderBalanced(r) };
  }

  const keyType = requiredString(values, 'key-type');
  const fieldTypes = typeof values['field-types'] === 'string' ? values['field-types'].split(/,(?![^(]*\))/).map((s) => s.trim()) : undefined;
  const spec = resolveKeySpec(keyType, fieldTypes);
  let lines = await keyLines(values, positionals, io);
  if (lines.length === 0) throw new UsageError('no keys given: pass them as arguments, with --file, or on stdin (the input held none)');
  let weights: number[] | undefined;
  if (values.counts === true) ({ keys: lines, weights } = splitCounts(lines));
  try {
    const keys = lines.map((l, i) => rawKeyFromText(spec, l.text, `keys[${i}]`));
    if (command === 'assign') {
      const r = assignKeys({ keyType, fieldTypes, keys, parallelism, maxParallelism }, CLI_LIMITS);
      return { json: r, text: renderAssign(r) };
    }
    const r = analyzeKeys({ keyType, fieldTypes, keys, weights, parallelism, maxParallelism }, CLI_LIMITS);
    return { json: r, text: renderAnalyze(r) };
  } catch (err) {
    // Point at the input line as well as the key index the shared service names.
    const index = err instanceof KeyGroupArgumentError ? /^keys\[(\d+)\]/.exec(err.field) : null;
    const source = index ? lines[Number(index[1])] : undefined;
    if (source && err instanceof KeyGroupArgumentError) {
      throw new KeyGroupArgumentError(err.field, `${err.message} (input line ${source.line})`);
    }
    throw err;
  }
}

/** Runs `flink-lens keys …` with argv = the words after "keys"; returns the exit code. */
export async function runKeysCommand(argv: string[], io: KeysIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  const allowed = ALLOWED[command];
  if (!allowed) {
    io.stderr.write(`flink-lens keys: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
    if (values.help === true) {
      io.stdout.write(USAGE);
      return 0;
    }
    const misplaced = (Object.keys(values) as OptionName[]).find((name) => !allowed.includes(name));
    if (misplaced) throw new UsageError(`--${misplaced} does not apply to "keys ${command}"`);
    if ((command === 'layout' || command === 'balanced') && positionals.length > 0) {
      throw new UsageError(`"keys ${command}" takes no keys, got "${positionals[0]}"`);
    }
    const { json, text } = await compute(command, values, positionals, io);
    io.stdout.write(values.json === true ? `${JSON.stringify(json)}\n` : text);
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof KeyGroupArgumentError || isParseArgsError(err)) {
      io.stderr.write(`flink-lens keys ${command}: ${(err as Error).message}\n`);
      return 2;
    }
    if (err instanceof Error && 'code' in err && (err.code === 'ENOENT' || err.code === 'EACCES' || err.code === 'EISDIR')) {
      io.stderr.write(`flink-lens keys ${command}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

function isParseArgsError(err: unknown): boolean {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS');
}
