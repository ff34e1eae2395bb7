import { createHash } from 'node:crypto';
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import { standInPortrait, standInSignature } from '../../../drivers/card-printer/render/sample-documents.ts';
import type { ApplicationStatus, Service } from '../contract.ts';

/** One seeded application with what only the simulator knows (its PIN, its document bytes). */
export interface SimApplication {
  applicationNo: string;
  service: Service;
  status: ApplicationStatus;
  stage?: string;
  regionCode: string;
  selfPrint: boolean;
  pinRequired: boolean;
  subject: { nik: string; name: string };
  pin: string;
  documents: SimDocument[];
  updatedAt: string;
  /** A label for people choosing a code on the simulator's code page. */
  label: string;
}

export interface SimDocument {
  documentId: string;
  medium: 'CARD' | 'A4';
  template?: 'KTP_EL' | 'KIA';
  pages?: number;
  sha256: string;
  contentType: string;
  bytes: Uint8Array;
}

const A4: [number, number] = [595.28, 841.89];
const UPDATED_AT = '2026-11-20T02:00:00Z';

interface SeedSpec {
  no: string;
  service: Service;
  status?: ApplicationStatus;
  stage?: string;
  region?: string;
  selfPrint?: boolean;
  pinRequired?: boolean;
  nik: string;
  name: string;
  docs: Array<
    | { kind: 'card'; template: 'KTP_EL' | 'KIA'; underFive?: boolean }
    | { kind: 'a4'; title: string; pages: number }
  >;
  /** Serve bytes that do not match the announced sha256 (document-invalid). */
  corrupt?: boolean;
  label: string;
}

/** Every service and every status, in region 3574 (Kota Probolinggo) and one in another region. */
const SPECS: SeedSpec[] = [
  {
    no: '3574-KIA-2611-000123',
    service: 'KIA',
    nik: '3574015203190002',
    name: 'NAYLA PUTRI RAMADHANI',
    docs: [{ kind: 'card', template: 'KIA' }],
    label: 'KIA (anak 7 tahun, dengan foto)',
  },
  {
    no: '3574-KIA-2611-000124',
    service: 'KIA',
    nik: '3574016108230001',
    name: 'ARKAN MAULANA',
    docs: [{ kind: 'card', template: 'KIA', underFive: true }],
    label: 'KIA (balita, tanpa foto)',
  },
  {
    no: '3574-KTP-2611-000045',
    service: 'KTP_EL',
    pinRequired: true,
    nik: '3574014706950003',
    name: 'SITI AMINAH',
    docs: [{ kind: 'card', template: 'KTP_EL' }],
    label: 'KTP-el (PIN wajib)',
  },
  {
    no: '3574-KTP-2611-000046',
    service: 'KTP_EL',
    nik: '3574012301880004',
    name: 'BUDI SANTOSO',
    docs: [{ kind: 'card', template: 'KTP_EL' }],
    label: 'KTP-el',
  },
  {
    no: '3574-KTP-2611-000047',
    service: 'KTP_EL',
    pinRequired: true,
    nik: '3574010902900005',
    name: 'AGUS SETIAWAN',
    docs: [{ kind: 'card', template: 'KTP_EL' }],
    label: 'KTP-el (PIN wajib, untuk uji kunci PIN)',
  },
  {
    no: '3574-KK-2611-000200',
    service: 'KK',
    nik: '3574012301880004',
    name: 'BUDI SANTOSO',
    docs: [{ kind: 'a4', title: 'KARTU KELUARGA', pages: 2 }],
    label: 'Kartu Keluarga (2 halaman)',
  },
  {
    no: '3574-KK-2611-000299',
    service: 'KK',
    nik: '3574016505800006',
    name: 'DEWI LESTARI',
    docs: [{ kind: 'a4', title: 'KARTU KELUARGA', pages: 1 }],
    corrupt: true,
    label: 'KK (dokumen rusak: SHA-256 tidak cocok)',
  },
  {
    no: '3574-AKL-2611-000300',
    service: 'AKTA_KELAHIRAN',
    nik: '3574015203190002',
    name: 'NAYLA PUTRI RAMADHANI',
    docs: [{ kind: 'a4', title: 'KUTIPAN AKTA KELAHIRAN', pages: 1 }],
    label: 'Akta Kelahiran',
  },
  {
    no: '3574-AKL-2611-000301',
    service: 'AKTA_KELAHIRAN',
    nik: '3574016108230001',
    name: 'ARKAN MAULANA',
    docs: [
      { kind: 'a4', title: 'KUTIPAN AKTA KELAHIRAN', pages: 1 },
      { kind: 'a4', title: 'KARTU KELUARGA', pages: 1 },
      { kind: 'card', template: 'KIA', underFive: true },
    ],
    label: 'Paket kelahiran: akta + KK + KIA',
  },
  {
    no: '3574-AKM-2611-000310',
    service: 'AKTA_KEMATIAN',
    nik: '3574010101400007',
    name: 'SUPARMAN',
    docs: [{ kind: 'a4', title: 'KUTIPAN AKTA KEMATIAN', pages: 1 }],
    label: 'Akta Kematian',
  },
  {
    no: '3574-AKP-2611-000320',
    service: 'AKTA_PERKAWINAN',
    nik: '3574011212920008',
    name: 'RINA WULANDARI',
    docs: [{ kind: 'a4', title: 'KUTIPAN AKTA PERKAWINAN', pages: 1 }],
    label: 'Akta Perkawinan',
  },
  {
    no: '3574-AKC-2611-000330',
    service: 'AKTA_PERCERAIAN',
    nik: '3574010303850009',
    name: 'HENDRA GUNAWAN',
    docs: [{ kind: 'a4', title: 'KUTIPAN AKTA PERCERAIAN', pages: 1 }],
    label: 'Akta Perceraian',
  },
  {
    no: '3574-PDH-2611-000340',
    service: 'SURAT_PINDAH',
    nik: '3574012007910010',
    name: 'YUSUF HABIBI',
    docs: [{ kind: 'a4', title: 'SURAT KETERANGAN PINDAH WNI', pages: 2 }],
    label: 'Surat Pindah (SKPWNI)',
  },
  {
    no: '3574-BIO-2611-000350',
    service: 'BIODATA',
    nik: '3574014404990011',
    name: 'MAYA SARI',
    docs: [{ kind: 'a4', title: 'BIODATA PENDUDUK WNI', pages: 1 }],
    label: 'Biodata Penduduk',
  },
  // Not printable, each for its own reason:
  {
    no: '3574-KTP-2611-000400',
    service: 'KTP_EL',
    status: 'IN_PROCESS',
    stage: 'VERIFICATION',
    nik: '3574011111110012',
    name: 'LINA MARLINA',
    docs: [{ kind: 'card', template: 'KTP_EL' }],
    label: 'Masih diproses: verifikasi',
  },
  {
    no: '3574-KTP-2611-000401',
    service: 'KTP_EL',
    status: 'IN_PROCESS',
    stage: 'DATA_ENTRY',
    nik: '3574011111110013',
    name: 'JOKO PRASETYO',
    docs: [{ kind: 'card', template: 'KTP_EL' }],
    label: 'Masih diproses: entri data',
  },
  {
    no: '3574-KK-2611-000402',
    service: 'KK',
    status: 'IN_PROCESS',
    stage: 'VALIDATION',
    nik: '3574011111110014',
    name: 'ANI SURYANI',
    docs: [{ kind: 'a4', title: 'KARTU KELUARGA', pages: 1 }],
    label: 'Masih diproses: validasi',
  },
  {
    no: '3574-KIA-2611-000403',
    service: 'KIA',
    status: 'IN_PROCESS',
    stage: 'SIGNING',
    nik: '3574011111110015',
    name: 'RAFA ALFARIZI',
    docs: [{ kind: 'card', template: 'KIA' }],
    label: 'Masih diproses: tanda tangan elektronik (TTE)',
  },
  {
    no: '3574-KTP-2611-000410',
    service: 'KTP_EL',
    status: 'PRINTED',
    nik: '3574011111110016',
    name: 'SRI RAHAYU',
    docs: [{ kind: 'card', template: 'KTP_EL' }],
    label: 'Sudah dicetak',
  },
  {
    no: '3574-KK-2611-000420',
    service: 'KK',
    status: 'REJECTED',
    nik: '3574011111110017',
    name: 'TONO SUTRISNO',
    docs: [{ kind: 'a4', title: 'KARTU KELUARGA', pages: 1 }],
    label: 'Ditolak',
  },
  {
    no: '3574-AKL-2611-000430',
    service: 'AKTA_KELAHIRAN',
    status: 'CANCELLED',
    nik: '3574011111110018',
    name: 'PUTRI AYU',
    docs: [{ kind: 'a4', title: 'KUTIPAN AKTA KELAHIRAN', pages: 1 }],
    label: 'Dibatalkan',
  },
  {
    no: '3574-KTP-2611-000440',
    service: 'KTP_EL',
    selfPrint: false,
    nik: '3574011111110019',
    name: 'DODI IRAWAN',
    docs: [{ kind: 'card', template: 'KTP_EL' }],
    label: 'Bukan cetak mandiri (dicetak di kantor)',
  },
  {
    no: '1471-KTP-2611-000450',
    service: 'KTP_EL',
    region: '1471',
    nik: '1471011111110020',
    name: 'FAJAR NUGROHO',
    docs: [{ kind: 'card', template: 'KTP_EL' }],
    label: 'Wilayah lain (Kota Pekanbaru)',
  },
];

/** Builds the simulator's applications with real documents (PDFs, card JSON with photo) and their SHA-256. */
export async function buildSeed(): Promise<SimApplication[]> {
  const apps: SimApplication[] = [];
  for (const [i, spec] of SPECS.entries()) {
    const documents: SimDocument[] = [];
    for (const [j, d] of spec.docs.entries()) {
      const documentId = `DOC-${spec.no}-${j + 1}`;
      if (d.kind === 'card') {
        const body = cardDocument(d.template, spec, d.underFive === true);
        const bytes = new TextEncoder().encode(JSON.stringify(body));
        documents.push({
          documentId,
          medium: 'CARD',
          template: d.template,
          sha256: sha256(bytes),
          contentType: 'application/vnd.adm.card+json',
          bytes,
        });
      } else {
        const bytes = await a4Pdf(d.title, spec, d.pages);
        documents.push({
          documentId,
          medium: 'A4',
          pages: d.pages,
          sha256: sha256(bytes),
          contentType: 'application/pdf',
          bytes,
        });
      }
    }
    if (spec.corrupt) {
      const doc = documents[0]!;
      doc.bytes = new Uint8Array([...doc.bytes, 0x0a]);
    }
    apps.push({
      applicationNo: spec.no,
      service: spec.service,
      status: spec.status ?? 'READY',
      ...(spec.stage ? { stage: spec.stage } : {}),
      regionCode: spec.region ?? '3574',
      selfPrint: spec.selfPrint ?? true,
      pinRequired: spec.pinRequired ?? false,
      subject: { nik: spec.nik, name: spec.name },
      pin: String(246800 + i * 7).padStart(6, '0'),
      documents,
      updatedAt: UPDATED_AT,
      label: spec.label,
    });
  }
  return apps;
}

/** SHA-256 in lower-case hex. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function cardDocument(template: 'KTP_EL' | 'KIA', spec: SeedSpec, underFive: boolean) {
  const common = {
    provinsi: 'PROVINSI JAWA TIMUR',
    kabupatenKota: 'KOTA PROBOLINGGO',
    nik: spec.nik,
    nama: spec.name,
    kewarganegaraan: 'WNI',
    berlakuHingga: 'SEUMUR HIDUP',
    tempatTerbit: 'KOTA PROBOLINGGO',
    tanggalTerbit: '20-11-2026',
  };
  const fields =
    template === 'KTP_EL'
      ? {
          ...common,
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
        }
      : {
          ...common,
          noKk: '3574010101190001',
          namaKepalaKeluarga: 'BUDI SANTOSO',
          noAktaKelahiran: '3574-LU-20032019-0042',
          tempatTglLahir: underFive ? 'PROBOLINGGO, 21-08-2023' : 'PROBOLINGGO, 12-03-2019',
          jenisKelamin: underFive ? 'LAKI-LAKI' : 'PEREMPUAN',
          agama: 'ISLAM',
          alamat: 'JL. PANGLIMA SUDIRMAN NO. 45 RT 002 RW 004 MAYANGAN',
          berlakuHingga: underFive ? '21-08-2040' : '12-03-2036',
        };
  return {
    template,
    fields,
    photo: underFive
      ? null
      : {
          contentType: 'image/png',
          data: standInPortrait(Number(spec.nik.at(-1)) % 2 === 1 ? '#c8102e' : '#1f5fbf'),
        },
    signature: template === 'KTP_EL' ? { contentType: 'image/png', data: standInSignature(spec.name) } : null,
  };
}

async function a4Pdf(title: string, spec: SeedSpec, pages: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${title} ${spec.no}`);
  pdf.setCreationDate(new Date(UPDATED_AT));
  pdf.setModificationDate(new Date(UPDATED_AT));
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  for (let p = 1; p <= pages; p++) {
    const page = pdf.addPage(A4);
    const { width, height } = page.getSize();
    page.drawRectangle({
      x: 30,
      y: 30,
      width: width - 60,
      height: height - 60,
      borderColor: rgb(0.1, 0.3, 0.55),
      borderWidth: 2,
    });
    page.drawText('REPUBLIK INDONESIA', { x: 60, y: height - 80, size: 14, font: bold });
    page.drawText('DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL KOTA PROBOLINGGO', {
      x: 60,
      y: height - 100,
      size: 10,
      font,
    });
    page.drawText(title, { x: 60, y: height - 150, size: 22, font: bold, color: rgb(0.05, 0.2, 0.45) });
    page.drawText(`Nomor permohonan: ${spec.no}`, { x: 60, y: height - 190, size: 12, font });
    page.drawText(`Nama: ${spec.name}`, { x: 60, y: height - 210, size: 12, font });
    page.drawText(`NIK: ${spec.nik}`, { x: 60, y: height - 230, size: 12, font });
    page.drawText('Dokumen ini ditandatangani secara elektronik (TTE) oleh Kepala Dinas.', {
      x: 60,
      y: 120,
      size: 10,
      font,
    });
    page.drawText(`Halaman ${p} dari ${pages}`, { x: width - 160, y: 60, size: 10, font });
  }
  return pdf.save({ useObjectStreams: false });
}
