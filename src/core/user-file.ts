import { readFile } from 'node:fs/promises';

/**
 * Reads a text file the user named (a task, a policy). Resolves to its text, or to the problem in
 * words ("no such file", "cannot read: …") for the caller's own error, which names the file.
 */
export async function readUserFile(file: string): Promise<{ text: string } | { problem: string }> {
  try {
    return { text: await readFile(file, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? 'no such file' : `cannot read: ${(e as Error).message}` };
  }
}
