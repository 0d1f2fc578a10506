import { randomInt } from 'node:crypto';
import type { TxCodeSpec } from '../domain/session.ts';

// No 0/O or 1/I/L: the code is read off a screen and typed into a phone.
const TEXT_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** OFF-08: a code that fits the announced input_mode and length. */
export function generateTxCode(spec: TxCodeSpec): string {
  const alphabet = spec.input_mode === 'numeric' ? '0123456789' : TEXT_ALPHABET;
  let code = '';
  for (let i = 0; i < spec.length; i++) code += alphabet[randomInt(alphabet.length)];
  return code;
}
