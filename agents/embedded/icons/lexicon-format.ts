/**
 * The lexicon's file format: a self-checking single file.
 *
 *   "HEIL" | u32 header length | header JSON (zod: IconLexiconHeader) | payload
 *   payload = descriptors as u8 (rows × DESC_LEN, value = round(x × QUANT)) | owners as u16
 *
 * The header carries the cache key and a sha256 of the payload, so truncation, bit rot or a
 * file from other code or other icon sets is caught before use (LexiconFormatError) rather
 * than producing wrong matches. 8 bits per descriptor component keep it to ±0.0014, far below
 * what separates two icons, and make the file 4× smaller than floats.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DESC_LEN } from '../../../kernels/icon-descriptor.ts';
import { IconSet } from './icon-sources.ts';

export const LexiconIcon = z.object({
  name: z.string().min(1),
  set: IconSet,
  aliases: z.array(z.string()),
  tags: z.array(z.string()),
});
export type LexiconIcon = z.infer<typeof LexiconIcon>;

export const IconLexiconHeader = z.object({
  format: z.literal(1),
  key: z.string(),
  descLen: z.literal(DESC_LEN),
  rows: z.number().int().positive(),
  sha256: z.string().length(64),
  buildMs: z.number(),
  icons: z.array(LexiconIcon).min(1),
});
export type IconLexiconHeader = z.infer<typeof IconLexiconHeader>;

const MAGIC = 'HEIL';
/** Components lie in [0, 1/√2] (each block has norm 1/√2). */
const QUANT = 360;

export class LexiconFormatError extends Error {
  override name = 'LexiconFormatError';
}

export interface LexiconData {
  icons: LexiconIcon[];
  table: Float32Array;
  owner: Uint16Array;
  key: string;
  buildMs: number;
}

export function encodeLexicon(lex: LexiconData): Buffer {
  const rows = lex.owner.length;
  const payload = Buffer.alloc(rows * DESC_LEN + rows * 2);
  for (let i = 0; i < rows * DESC_LEN; i++) payload[i] = Math.min(255, Math.max(0, Math.round(lex.table[i] * QUANT)));
  for (let r = 0; r < rows; r++) payload.writeUInt16LE(lex.owner[r], rows * DESC_LEN + 2 * r);
  const header: IconLexiconHeader = {
    format: 1,
    key: lex.key,
    descLen: DESC_LEN,
    rows,
    sha256: createHash('sha256').update(payload).digest('hex'),
    buildMs: Math.round(lex.buildMs),
    icons: lex.icons,
  };
  const json = Buffer.from(JSON.stringify(header));
  const head = Buffer.alloc(8);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(json.length, 4);
  return Buffer.concat([head, json, payload]);
}

/** Decodes and checks a lexicon file; throws LexiconFormatError saying what is wrong. */
export function decodeLexicon(file: Uint8Array, expectedKey: string): LexiconData {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (buf.length < 8 || buf.toString('latin1', 0, 4) !== MAGIC) throw new LexiconFormatError('not an icon lexicon (bad magic)');
  const len = buf.readUInt32LE(4);
  if (8 + len > buf.length) throw new LexiconFormatError(`header runs past the end (${len} bytes declared, file is ${buf.length})`);
  let header: IconLexiconHeader;
  try {
    header = IconLexiconHeader.parse(JSON.parse(buf.toString('utf8', 8, 8 + len)));
  } catch (e) {
    throw new LexiconFormatError(`unreadable header: ${(e as Error).message.slice(0, 200)}`);
  }
  if (header.key !== expectedKey) throw new LexiconFormatError(`built for ${header.key}, expected ${expectedKey}`);
  const payload = buf.subarray(8 + len);
  const rows = header.rows;
  if (payload.length !== rows * DESC_LEN + rows * 2) throw new LexiconFormatError(`payload is ${payload.length} bytes, expected ${rows * (DESC_LEN + 2)}`);
  if (createHash('sha256').update(payload).digest('hex') !== header.sha256) throw new LexiconFormatError('checksum mismatch');
  const table = new Float32Array(rows * DESC_LEN);
  for (let i = 0; i < table.length; i++) table[i] = payload[i] / QUANT;
  const owner = new Uint16Array(rows);
  for (let r = 0; r < rows; r++) {
    owner[r] = payload.readUInt16LE(rows * DESC_LEN + 2 * r);
    if (owner[r] >= header.icons.length) throw new LexiconFormatError(`row ${r} names icon ${owner[r]} of ${header.icons.length}`);
  }
  return { icons: header.icons, table, owner, key: header.key, buildMs: header.buildMs };
}
