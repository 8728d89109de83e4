/**
 * A bounded reader of OLE compound files ([MS-CFB]): the container of legacy .doc/.wps/.xls/.ppt files. It lists the
 * root storage's streams and reads one by name. Every sector chain is followed at most once with a visited set, so a
 * crafted file (a cyclic FAT or DIFAT chain, a directory tree that loops, sizes past the end of the file) is rejected
 * with an Error in time linear in the file's size. (word-extractor's own OLE reader follows a cycle of two sectors
 * forever; SheetJS's cfb re-walks shared chains, quadratic in the number of sectors.)
 */

const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;
const NOSTREAM = 0xffffffff;
const SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** A compound file's root storage: the names of its streams and storages, and their contents on demand. */
export interface CompoundFile {
  /** Names of the root storage's direct children (streams and storages). */
  readonly names: readonly string[];
  /** The stream `name` of the root storage, or undefined when there is none. */
  stream(name: string): Uint8Array | undefined;
}

interface Entry {
  name: string;
  type: number;
  left: number;
  right: number;
  child: number;
  start: number;
  size: number;
}

/** Read a compound file; throws an Error that says what is wrong when the container is damaged. */
export function readCompoundFile(bytes: Uint8Array): CompoundFile {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 512 || SIGNATURE.some((b, i) => buf[i] !== b)) throw new Error('no compound-file header');
  const major = buf.readUInt16LE(26);
  const shift = buf.readUInt16LE(30);
  if (!((major === 3 && shift === 9) || (major === 4 && shift === 12))) throw new Error(`unknown compound-file version ${major} (sector shift ${shift})`);
  const ssz = 1 << shift;
  const miniShift = buf.readUInt16LE(32);
  if (miniShift !== 6) throw new Error(`mini sector shift ${miniShift}, expected 6`);
  const cutoff = buf.readUInt32LE(56);
  const sectorCount = Math.floor((buf.length - ssz) / ssz) + ((buf.length - ssz) % ssz > 0 ? 1 : 0);
  const sectorAt = (n: number): number => {
    if (n >= sectorCount) throw new Error(`sector ${n} is past the end of the file`);
    return (n + 1) * ssz;
  };

  // The FAT's sectors: 109 in the header, the rest in the DIFAT chain.
  const perSector = ssz / 4;
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const s = buf.readUInt32LE(76 + i * 4);
    if (s === FREESECT || s === ENDOFCHAIN) break;
    fatSectors.push(s);
  }
  const numDifat = buf.readUInt32LE(72);
  const difatSeen = new Set<number>();
  for (let d = buf.readUInt32LE(68), k = 0; d !== ENDOFCHAIN && d !== FREESECT && k < numDifat; k++) {
    if (difatSeen.has(d)) throw new Error('the DIFAT chain loops');
    difatSeen.add(d);
    const at = sectorAt(d);
    for (let i = 0; i < perSector - 1; i++) {
      const s = buf.readUInt32LE(at + i * 4);
      if (s !== FREESECT && s !== ENDOFCHAIN) fatSectors.push(s);
    }
    d = buf.readUInt32LE(at + ssz - 4);
  }
  if (fatSectors.length === 0) throw new Error('no FAT sectors');
  if (fatSectors.length > sectorCount) throw new Error('more FAT sectors than the file has sectors');
  const fat = new Uint32Array(fatSectors.length * perSector);
  fatSectors.forEach((s, i) => {
    const at = sectorAt(s);
    for (let j = 0; j < perSector; j++) fat[i * perSector + j] = buf.readUInt32LE(at + j * 4);
  });

  /** The sectors of the chain from `start` in `table`, at most `limit` of them; throws on a loop or a bad link. */
  const chain = (table: Uint32Array, start: number, limit: number, what: string): number[] => {
    const out: number[] = [];
    const seen = new Set<number>();
    for (let s = start; s !== ENDOFCHAIN && out.length < limit; s = table[s]!) {
      if (s >= table.length) throw new Error(`${what}: sector ${s} is out of range`);
      if (seen.has(s)) throw new Error(`${what}: the sector chain loops`);
      seen.add(s);
      out.push(s);
    }
    return out;
  };
  const readChain = (start: number, size: number, what: string): Buffer => {
    if (size > buf.length) throw new Error(`${what} is larger than the file`);
    const need = Math.ceil(size / ssz);
    const sectors = chain(fat, start, need, what);
    if (sectors.length < need) throw new Error(`${what} is cut short`);
    const out = Buffer.alloc(size);
    sectors.forEach((s, i) => {
      const at = sectorAt(s);
      buf.copy(out, i * ssz, at, Math.min(at + ssz, buf.length, at + size - i * ssz));
    });
    return out;
  };

  // The directory: a chain of 128-byte entries.
  const dirSectors = chain(fat, buf.readUInt32LE(48), sectorCount, 'the directory');
  const entries: Entry[] = [];
  for (const s of dirSectors) {
    const at = sectorAt(s);
    for (let o = at; o + 128 <= Math.min(at + ssz, buf.length); o += 128) {
      const nameLen = Math.min(buf.readUInt16LE(o + 64), 64);
      entries.push({
        name: buf.toString('utf16le', o, o + Math.max(0, nameLen - 2)),
        type: buf[o + 66]!,
        left: buf.readUInt32LE(o + 68),
        right: buf.readUInt32LE(o + 72),
        child: buf.readUInt32LE(o + 76),
        start: buf.readUInt32LE(o + 116),
        // Version 3 files may leave garbage in the high 32 bits of the size.
        size: major === 3 ? buf.readUInt32LE(o + 120) : buf.readUInt32LE(o + 120) + buf.readUInt32LE(o + 124) * 2 ** 32,
      });
    }
  }
  const root = entries[0];
  if (!root || root.type !== 5) throw new Error('no root entry');

  // The root's children: a red-black tree walked with a visited set.
  const children = new Map<string, Entry>();
  const visited = new Set<number>();
  const stack = [root.child];
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (i === NOSTREAM) continue;
    if (i >= entries.length || visited.has(i)) throw new Error('the directory tree is damaged');
    visited.add(i);
    const e = entries[i]!;
    if (e.type === 1 || e.type === 2) children.set(e.name, e);
    stack.push(e.left, e.right);
  }

  let mini: { stream: Buffer; fat: Uint32Array } | undefined;
  const miniStream = (): { stream: Buffer; fat: Uint32Array } => {
    if (!mini) {
      const stream = readChain(root.start, root.size, 'the mini stream');
      const miniFatSectors = chain(fat, buf.readUInt32LE(60), Math.min(buf.readUInt32LE(64), sectorCount), 'the mini FAT');
      const table = new Uint32Array(miniFatSectors.length * perSector);
      miniFatSectors.forEach((s, i) => {
        const at = sectorAt(s);
        for (let j = 0; j < perSector; j++) table[i * perSector + j] = buf.readUInt32LE(at + j * 4);
      });
      mini = { stream, fat: table };
    }
    return mini;
  };

  return {
    names: [...children.keys()],
    stream(name: string): Uint8Array | undefined {
      const e = children.get(name);
      if (!e || e.type !== 2) return undefined;
      const what = `the stream ${name}`;
      if (e.size >= cutoff) return readChain(e.start, e.size, what);
      const m = miniStream();
      if (e.size > m.stream.length) throw new Error(`${what} is larger than the mini stream`);
      const need = Math.ceil(e.size / 64);
      const sectors = chain(m.fat, e.start, need, what);
      if (sectors.length < need) throw new Error(`${what} is cut short`);
      const out = Buffer.alloc(e.size);
      sectors.forEach((s, i) => {
        if ((s + 1) * 64 > m.stream.length) throw new Error(`${what}: mini sector ${s} is past the mini stream`);
        m.stream.copy(out, i * 64, s * 64, Math.min((s + 1) * 64, s * 64 + e.size - i * 64));
      });
      return out;
    },
  };
}
