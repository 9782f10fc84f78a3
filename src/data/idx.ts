// IDX files (MNIST's format): magic 0x00 0x00 <type> <ndims>, big-endian uint32 dims, then data.
import { gunzipSync } from "node:zlib";
import { readFileSync } from "node:fs";

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** Parses an IDX buffer (gzipped or not); `source` names the file in errors. */
export function parseIdx(buffer: Uint8Array, source = "<buffer>"): IdxArray {
  let buf = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = gunzipSync(buf);
    } catch (e) {
      throw new Error(`${source}: corrupt gzip data (${(e as Error).message})`);
    }
  }
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) {
    throw new Error(`${source}: not an IDX file (bad magic number)`);
  }
  if (buf[2] !== 0x08) throw new Error(`${source}: IDX element type 0x${buf[2].toString(16)} unsupported (only unsigned bytes, 0x08)`);
  const ndims = buf[3];
  const header = 4 + 4 * ndims;
  if (buf.length < header) throw new Error(`${source}: truncated IDX header`);
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(buf.readUInt32BE(4 + 4 * i));
  const count = dims.reduce((a, b) => a * b, 1);
  if (buf.length !== header + count) {
    throw new Error(`${source}: IDX size mismatch: header says ${count} values (dims ${dims.join("x")}), file has ${buf.length - header}`);
  }
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + header, count) };
}

export function readIdxFile(path: string): IdxArray {
  return parseIdx(readFileSync(path), path);
}

/** Encodes unsigned-byte data as IDX (used by tests to write tiny files). */
export function encodeIdx(dims: number[], data: Uint8Array): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = 0x08;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(data)]);
}
