import { createHash } from 'node:crypto';

/**
 * Excel 97–2003's RC4 encryption ([MS-XLS] 2.2.10, [MS-OFFCRYPTO] 2.3.5 and 2.3.6) with Excel's built-in password
 * `VelvetSweatshop`: Excel encrypts a workbook with it when the workbook's structure or windows are protected with a
 * password (Review → Protect Workbook) but no password to open was set, and opens such a file without asking for one.
 * To other readers it is as encrypted as any (xlrd: "Workbook is encrypted"). A workbook encrypted with a password of its
 * own, or by XOR obfuscation, is not read (undefined: it stays `INPUT_ENCRYPTED`).
 */

/** Excel's built-in password ([MS-OFFCRYPTO] 2.3.7.6, [MS-XLS] 2.2.10). */
const DEFAULT_PASSWORD = 'VelvetSweatshop';
/** Records left unencrypted ([MS-XLS] 2.2.10): BOF, FILEPASS, UsrExcl, FileLock, InterfaceHdr, RRDInfo, RRDHead. */
const PLAIN_RECORDS = new Set([0x0809, 0x002f, 0x0194, 0x0195, 0x00e1, 0x0196, 0x0138]);
const BOUNDSHEET = 0x0085;
/** The keystream starts again with a new key every 1024 bytes of the stream. */
const BLOCK = 1024;

/** `n` bytes of RC4 keystream for `key`. */
function rc4Keystream(key: Uint8Array, n: number): Uint8Array {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = new Uint8Array(n);
  for (let k = 0, i = 0, j = 0; k < n; k++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[k] = s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}

const u32le = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0, 0);
  return b;
};

/** The key of block `block`, as the encryption header says to derive it. */
type BlockKey = (block: number) => Uint8Array;

/**
 * The block keys of a FILEPASS record's RC4 encryption header (after wEncryptionType) for Excel's built-in password, or
 * undefined when the header is not RC4 or the password is not the built-in one (its verifier does not match).
 */
function keysFor(info: Buffer): BlockKey | undefined {
  if (info.length < 4) return undefined;
  const major = info.readUInt16LE(0);
  const minor = info.readUInt16LE(2);
  const password = Buffer.from(DEFAULT_PASSWORD, 'utf16le');
  if (major === 1 && minor === 1) {
    // RC4 ([MS-OFFCRYPTO] 2.3.6): salt, encrypted verifier, encrypted MD5 of the verifier.
    if (info.length < 4 + 48) return undefined;
    const salt = info.subarray(4, 20);
    const md5 = (b: Uint8Array): Buffer => createHash('md5').update(b).digest();
    const h0 = md5(password).subarray(0, 5);
    const h1 = md5(Buffer.concat(Array.from({ length: 16 }, () => Buffer.concat([h0, salt])))).subarray(0, 5);
    const key: BlockKey = (block) => md5(Buffer.concat([h1, u32le(block)]));
    const stream = rc4Keystream(key(0), 32);
    const verifier = info.subarray(20, 36).map((b, i) => b ^ stream[i]!);
    const hash = info.subarray(36, 52).map((b, i) => b ^ stream[16 + i]!);
    return md5(verifier).equals(Buffer.from(hash)) ? key : undefined;
  }
  if ((major === 2 || major === 3 || major === 4) && minor === 2) {
    // RC4 CryptoAPI ([MS-OFFCRYPTO] 2.3.5): flags, header size, EncryptionHeader, EncryptionVerifier.
    if (info.length < 12) return undefined;
    const headerSize = info.readUInt32LE(8);
    const header = 12;
    const verifierAt = header + headerSize;
    if (headerSize < 20 || verifierAt + 4 > info.length) return undefined;
    const algId = info.readUInt32LE(header + 8);
    let keyBits = info.readUInt32LE(header + 16);
    if (algId !== 0x6801 && algId !== 0) return undefined;
    if (keyBits === 0) keyBits = 40;
    if (keyBits < 40 || keyBits > 128 || keyBits % 8 !== 0) return undefined;
    const saltSize = info.readUInt32LE(verifierAt);
    const saltAt = verifierAt + 4;
    if (saltSize !== 16 || saltAt + 16 + 16 + 4 + 20 > info.length) return undefined;
    const salt = info.subarray(saltAt, saltAt + 16);
    const sha1 = (b: Uint8Array): Buffer => createHash('sha1').update(b).digest();
    const h0 = sha1(Buffer.concat([salt, password]));
    const key: BlockKey = (block) => {
      const h = sha1(Buffer.concat([h0, u32le(block)]));
      // A 40-bit key is padded to 128 bits with zeros ([MS-OFFCRYPTO] 2.3.5.2).
      return keyBits === 40 ? Buffer.concat([h.subarray(0, 5), Buffer.alloc(11)]) : h.subarray(0, keyBits / 8);
    };
    const hashSize = info.readUInt32LE(saltAt + 32);
    if (hashSize !== 20) return undefined;
    const stream = rc4Keystream(key(0), 36);
    const verifier = info.subarray(saltAt + 16, saltAt + 32).map((b, i) => b ^ stream[i]!);
    const hash = info.subarray(saltAt + 36, saltAt + 56).map((b, i) => b ^ stream[16 + i]!);
    return sha1(verifier).equals(Buffer.from(hash)) ? key : undefined;
  }
  return undefined;
}

/**
 * The workbook stream `data` decrypted, given its FILEPASS record's data, when it is RC4-encrypted with Excel's
 * built-in password; undefined otherwise. Record headers stay as they are (they are never encrypted), as do the records
 * [MS-XLS] leaves plain and a BOUNDSHEET's sheet offset; every other byte is XORed with the keystream at its own
 * position in the stream. Linear in the stream: one 1024-byte keystream per block of it.
 */
export function decryptWorkbookStream(data: Buffer, filePass: Buffer): Buffer | undefined {
  if (filePass.length < 2 || filePass.readUInt16LE(0) !== 1) return undefined;
  const key = keysFor(filePass.subarray(2));
  if (key === undefined) return undefined;
  const out = Buffer.from(data);
  let block = -1;
  let stream: Uint8Array = new Uint8Array(0);
  const decrypt = (from: number, to: number): void => {
    for (let p = from; p < to; p++) {
      const b = Math.floor(p / BLOCK);
      if (b !== block) {
        block = b;
        stream = rc4Keystream(key(b), BLOCK);
      }
      out[p] = data[p]! ^ stream[p % BLOCK]!;
    }
  };
  for (let pos = 0; pos + 4 <= data.length; ) {
    const type = data.readUInt16LE(pos);
    const end = Math.min(data.length, pos + 4 + data.readUInt16LE(pos + 2));
    if (type === BOUNDSHEET) decrypt(pos + 8, end);
    else if (!PLAIN_RECORDS.has(type)) decrypt(pos + 4, end);
    pos = end;
  }
  return out;
}
