import { createCanvas } from '@napi-rs/canvas';
import type { CardDocument } from '../../../drivers/card-printer/types.ts';

/**
 * Card documents shaped like the central API simulator's (same fields, a drawn pass photo and
 * signature), for the samples in docs/images, the render tests and the benchmark.
 */
export function sampleKtpEl(): CardDocument {
  return {
    template: 'KTP_EL',
    fields: {
      provinsi: 'PROVINSI JAWA TIMUR',
      kabupatenKota: 'KOTA PROBOLINGGO',
      nik: '3574014706950003',
      nama: 'SITI AMINAH',
      tempatTglLahir: 'PROBOLINGGO, 07-06-1995',
      jenisKelamin: 'PEREMPUAN',
      golDarah: 'O',
      alamat: 'JL. SOEKARNO HATTA NO. 12',
      rtRw: '003/005',
      kelDesa: 'MAYANGAN',
      kecamatan: 'MAYANGAN',
      agama: 'ISLAM',
      statusPerkawinan: 'BELUM KAWIN',
      pekerjaan: 'KARYAWAN SWASTA',
      kewarganegaraan: 'WNI',
      berlakuHingga: 'SEUMUR HIDUP',
      tempatTerbit: 'KOTA PROBOLINGGO',
      tanggalTerbit: '20-11-2026',
    },
    photo: { contentType: 'image/png', data: standInPortrait('#c8102e') },
    signature: { contentType: 'image/png', data: standInSignature('SITI AMINAH') },
  };
}

/** A KIA; under five it has no photo, as on the real card. */
export function sampleKia(underFive = false): CardDocument {
  return {
    template: 'KIA',
    fields: {
      provinsi: 'PROVINSI JAWA TIMUR',
      kabupatenKota: 'KOTA PROBOLINGGO',
      nik: underFive ? '3574016108230001' : '3574015203190002',
      nama: underFive ? 'ARKAN MAULANA' : 'NAYLA PUTRI RAMADHANI',
      noKk: '3574010101190001',
      namaKepalaKeluarga: 'BUDI SANTOSO',
      noAktaKelahiran: '3574-LU-20032019-0042',
      tempatTglLahir: underFive ? 'PROBOLINGGO, 21-08-2023' : 'PROBOLINGGO, 12-03-2019',
      jenisKelamin: underFive ? 'LAKI-LAKI' : 'PEREMPUAN',
      agama: 'ISLAM',
      kewarganegaraan: 'WNI',
      alamat: 'JL. PANGLIMA SUDIRMAN NO. 45 RT 002 RW 004 MAYANGAN',
      berlakuHingga: underFive ? '21-08-2040' : '12-03-2036',
      tempatTerbit: 'KOTA PROBOLINGGO',
      tanggalTerbit: '20-11-2026',
    },
    photo: underFive ? null : { contentType: 'image/png', data: standInPortrait('#1f5fbf') },
    signature: null,
  };
}

/**
 * A pass-photo stand-in, base64 PNG: head and shoulders on the red or blue background of an ID photo.
 * The central API simulator's card documents use it too.
 */
export function standInPortrait(background: string): string {
  const c = createCanvas(300, 400);
  const g = c.getContext('2d');
  g.fillStyle = background;
  g.fillRect(0, 0, 300, 400);
  g.fillStyle = '#2b2b2b';
  g.beginPath();
  g.ellipse(150, 420, 140, 130, 0, 0, Math.PI * 2);
  g.fill();
  g.fillStyle = '#c68e5e';
  g.beginPath();
  g.ellipse(150, 170, 72, 92, 0, 0, Math.PI * 2);
  g.fill();
  g.fillStyle = '#1b1b1b';
  g.beginPath();
  g.ellipse(150, 110, 78, 50, 0, Math.PI, Math.PI * 2);
  g.fill();
  return c.toBuffer('image/png').toString('base64');
}

/** A signature stand-in drawn from the name, base64 PNG. */
export function standInSignature(name: string): string {
  const c = createCanvas(300, 100);
  const g = c.getContext('2d');
  g.strokeStyle = '#101060';
  g.lineWidth = 4;
  g.beginPath();
  g.moveTo(10, 70);
  let x = 10;
  for (const ch of name.slice(0, 14)) {
    x += 19;
    g.quadraticCurveTo(x - 10, 10 + (ch.charCodeAt(0) % 50), x, 65);
  }
  g.stroke();
  return c.toBuffer('image/png').toString('base64');
}

/** The longest name a KTP-el row is tested with (60 characters) and a long address. */
export const LONG_NAME_60 = 'MUHAMMAD ABDURRAHMAN WAHYUDI SETIAWAN KUSUMANEGARA PRAWIRO S';
/** A 100-character name: three lines on a card, at a size still readable on the resin. */
export const LONG_NAME_100 =
  'RADEN AYU SITI NURHALIZA KUSUMAWARDHANI PUSPITASARI NINGRUM DEWI LESTARI ANGGRAINI WULANDARI PRATIWI';
export const LONG_ADDRESS = 'JL. RAYA PANGLIMA BESAR JENDERAL SUDIRMAN GANG MELATI PUTIH NO. 145 B';
export const LONGEST_ADDRESS =
  'PERUMAHAN GRIYA PERMATA ASRI BLOK C-12 NO. 7 JL. KH. HASYIM ASYARI RT 012 RW 007 KELURAHAN MANGUNHARJO';

/** A KTP-el with a 60-character name and a long address (golden-image tests). */
export function sampleLongKtpEl(): CardDocument {
  const doc = sampleKtpEl();
  return { ...doc, fields: { ...doc.fields, nama: LONG_NAME_60, alamat: LONG_ADDRESS } };
}

/** A KIA with a 100-character name, a long family head's name and the longest address. */
export function sampleLongKia(): CardDocument {
  const doc = sampleKia();
  return {
    ...doc,
    fields: {
      ...doc.fields,
      nama: LONG_NAME_100,
      namaKepalaKeluarga: LONG_NAME_60,
      alamat: LONGEST_ADDRESS,
    },
  };
}
