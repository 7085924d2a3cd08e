export interface BenchArgs {
  names: string[];
  quick: boolean;
  duration?: string;
  help: boolean;
}

/** The arguments of `npm run bench`: suite names among `known`, `--quick`, `--duration <s>` / `--duration=<s>`, `--help`; a string is the error. */
export function parseBenchArgs(argv: string[], known: string[]): BenchArgs | string {
  const names: string[] = [];
  let quick = false;
  let duration: string | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') continue;
    if (a === '--help' || a === '-h') help = true;
    else if (a === '--quick') quick = true;
    else if (a === '--duration') duration = argv[++i] ?? '';
    else if (a.startsWith('--duration=')) duration = a.slice('--duration='.length);
    else if (a.startsWith('-')) return `unknown option ${a}`;
    else if (!known.includes(a)) return `unknown suite ${a} (known: ${known.join(', ')})`;
    else names.push(a);
  }
  if (duration !== undefined && !(Number(duration) >= 1)) return `--duration must be a number of seconds >= 1 (got "${duration ?? ''}")`;
  return { names, quick, help, ...(duration !== undefined ? { duration } : {}) };
}
