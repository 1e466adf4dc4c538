/**
 * An XLSX file is a ZIP archive, and ExcelJS (through JSZip) stamps every entry with the time it
 * was written, so the same return written twice differs in those bytes. This sets every entry's
 * DOS date and time, in the local headers and the central directory, to one given instant, which
 * makes the file a function of its content. Only those four bytes per header change; the CRCs and
 * sizes do not cover them.
 *
 * ZIP layout (APPNOTE.TXT 4.3): the end-of-central-directory record (signature 0x06054b50) gives
 * the number of entries and where the central directory starts; each central header (0x02014b50)
 * has the time at +12, date at +14 and its local header's offset at +42; each local header
 * (0x04034b50) has the time at +10 and date at +12.
 */

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function dosDateTime(at: Date): { time: number; date: number } {
  // DOS time has no zone; UTC fields keep it independent of the workstation's zone.
  const year = Math.min(Math.max(at.getUTCFullYear(), 1980), 2107);
  return {
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
  };
}

/** Rewrites the entry times in place and returns the same buffer; throws if it is not a ZIP. */
export function setZipEntryTimes(zip: Buffer, at: Date): Buffer {
  let eocd = -1;
  // The record is 22 bytes plus a comment of up to 65,535 bytes, searched from the end.
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a ZIP archive: no end-of-central-directory record');
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const { time, date } = dosDateTime(at);
  for (let n = 0; n < entries; n++) {
    if (zip.readUInt32LE(p) !== CENTRAL) throw new Error('damaged ZIP central directory');
    zip.writeUInt16LE(time, p + 12);
    zip.writeUInt16LE(date, p + 14);
    const local = zip.readUInt32LE(p + 42);
    if (zip.readUInt32LE(local) !== LOCAL) throw new Error('damaged ZIP local header');
    zip.writeUInt16LE(time, local + 10);
    zip.writeUInt16LE(date, local + 12);
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return zip;
}
