import { readFileSync } from 'node:fs';
import { motdText } from './options.js';

/** The message of the day in `file` (UTF-8, a final line break dropped), checked as `--motd` is. */
export function readMotdFile(file: string): string {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the motd-file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return motdText(raw.replace(/\r?\n$/, ''));
  } catch (err) {
    throw new Error(`motd-file ${file}: ${(err as Error).message}`);
  }
}

/** The options with the message of the day read from its file, when one is given. */
export function withMotdFile<T extends { motd: string; motdFile: string | undefined }>(options: T): T {
  return options.motdFile === undefined ? options : { ...options, motd: readMotdFile(options.motdFile) };
}
