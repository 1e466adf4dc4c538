/**
 * Test-only: the vault's pages as SQLite sees them, decrypted here with the raw data key, page by
 * page (the driver does not build SQLite's sqlite_dbpage table). SQLCipher 4 with a raw key: each
 * page is AES-256-CBC under the key itself, with a 16-byte IV and a 64-byte HMAC in the page's last
 * 80 bytes; page 1 keeps its first 16 bytes as the file's salt. Free pages, unused space in pages
 * and the WAL's frames are read the same way, so a test can look for bytes anywhere in the file.
 */
import { createDecipheriv } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

export const PAGE_SIZE = 4096;
const RESERVE = 80;
const SALT = 16;

function decryptPage(page: Buffer, pageNo: number, key: Buffer): Buffer {
  const start = pageNo === 1 ? SALT : 0;
  const end = PAGE_SIZE - RESERVE;
  const iv = page.subarray(end, end + 16);
  const d = createDecipheriv('aes-256-cbc', key, iv);
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(page.subarray(start, end)), d.final()]);
  return pageNo === 1 ? Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), plain]) : plain;
}

/** Every page of the vault file, decrypted, in page order. */
export function decryptedPages(path: string, key: Buffer): Buffer[] {
  const file = readFileSync(path);
  const out: Buffer[] = [];
  for (let i = 0; i + PAGE_SIZE <= file.length; i += PAGE_SIZE) out.push(decryptPage(file.subarray(i, i + PAGE_SIZE), i / PAGE_SIZE + 1, key));
  return out;
}

/** Every frame of the vault's WAL (if any), decrypted: 32-byte header, then a 24-byte frame header and a page each. */
export function decryptedWalFrames(walPath: string, key: Buffer): Buffer[] {
  if (!existsSync(walPath)) return [];
  const wal = readFileSync(walPath);
  const out: Buffer[] = [];
  for (let i = 32; i + 24 + PAGE_SIZE <= wal.length; i += 24 + PAGE_SIZE) {
    const pageNo = wal.readUInt32BE(i);
    out.push(decryptPage(wal.subarray(i + 24, i + 24 + PAGE_SIZE), pageNo, key));
  }
  return out;
}

/** The page numbers on the free list (trunk and leaf pages), read from the decrypted pages. */
export function freePageNumbers(pages: readonly Buffer[]): number[] {
  const out: number[] = [];
  let trunk = pages[0]!.readUInt32BE(32);
  while (trunk !== 0 && trunk <= pages.length) {
    out.push(trunk);
    const p = pages[trunk - 1]!;
    const n = p.readUInt32BE(4);
    for (let k = 0; k < n; k++) out.push(p.readUInt32BE(8 + 4 * k));
    trunk = p.readUInt32BE(0);
  }
  return out;
}
