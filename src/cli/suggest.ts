import { COMMAND_HELP, commandLines, OPTIONS } from './options.js';

/** Levenshtein distance: the edits (insert, delete, replace) that turn `a` into `b`. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/** The candidate nearest to `word`, when it is near enough to be a typo (a third of its letters at most, at least 2). */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of candidates) {
    const d = distance(word.toLowerCase(), name.toLowerCase());
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(2, Math.floor(word.length / 3)) ? best.name : undefined;
}

const didYouMean = (near: string | undefined) => (near === undefined ? '' : `; did you mean ${near}?`);

/** The subcommands `tijori <group> …` has, from the help's usages (`company` → create, set-mode). */
export function subcommandsOf(group: string): string[] {
  const subs = COMMAND_HELP.map((c) => c.usage[0]!.split(' ')).filter(([g, sub]) => g === group && sub !== undefined && !sub.startsWith('-'));
  return [...new Set(subs.map(([, sub]) => sub!))];
}

/**
 * `tijori <group>` without its subcommand, or with one it does not have: what it has, with the
 * nearest subcommand to a typo. Undefined when the command takes no subcommand or `sub` is one.
 */
export function subcommandProblem(group: string, sub: string | undefined): string | undefined {
  const subs = subcommandsOf(group);
  if (subs.length === 0 || (sub !== undefined && subs.includes(sub))) return undefined;
  const head =
    sub === undefined
      ? `tijori ${group} needs a subcommand: ${subs.join(', ')}`
      : `tijori: unknown command "${group} ${sub}"${didYouMean(closest(sub, subs) && `"${group} ${closest(sub, subs)}"`)}`;
  return `${head}\n\n${commandLines(COMMAND_HELP.filter((c) => c.usage[0]!.startsWith(`${group} `))).join('\n')}\n`;
}

/** An unknown command, with the nearest one. */
export function unknownCommand(command: string, commands: string[]): string {
  const near = closest(command, commands);
  return `tijori: unknown command "${command}"${didYouMean(near && `"${near}"`)}\nCommands: ${commands.join(', ')} (tijori --help describes each)\n`;
}

/**
 * Node's parseArgs errors (ERR_PARSE_ARGS_*) in the command's words: an unknown option with the
 * nearest known one, an option missing its value, a switch given a value.
 */
export function parseArgsProblem(err: Error & { code?: string }): string {
  const option = /'(--?[^' <]+)/.exec(err.message)?.[1];
  if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    const names = Object.keys(OPTIONS).map((name) => `--${name}`);
    return `tijori: unknown option ${option}${didYouMean(closest(option, names))} (tijori --help lists the options)\n`;
  }
  if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return /does not take an argument/.test(err.message) ? `tijori: ${option} takes no value\n` : `tijori: ${option} needs a value (${option} VALUE)\n`;
  }
  return `tijori: ${err.message}\n`;
}
