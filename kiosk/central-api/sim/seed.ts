import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { derivedKey, readDerived, writeDerived } from '../../derived-cache.ts';
import { SERVICE_CATALOGUE, serviceEntry } from '../../documents/services.ts';
import type { ApplicationStatus, Service } from '../contract.ts';
import type { Application } from '../schemas.ts';
import { SIM_ISSUER_KEY_PATH } from './mint.ts';

/** One seeded application with what only the simulator knows (its PIN, its document bytes). */
export interface SimApplication extends Omit<Application, 'documents'> {
  pin: string;
  documents: SimDocument[];
  /** A label for people choosing a code on the simulator's code page. */
  label: string;
  /** Who applied, when not the subject (a parent for a child's KIA, the head of a family for its KK). */
  applicantNik?: string;
}

/** A resident registered for ADM self-service sign-in (1.1), with their login PIN. */
export interface SimResident {
  nik: string;
  name: string;
  loginPin: string;
  /** For people choosing whom to sign in as on the code page. */
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
  applicant?: string;
  updatedAt?: string;
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

/** One READY application of every catalogued service the hand-written specs above do not cover. */
function catalogueSpecs(): SeedSpec[] {
  const covered = new Set(SPECS.map((s) => s.service));
  return SERVICE_CATALOGUE.filter((e) => !covered.has(e.service)).map((e, i) => ({
    no: `3574-DOC-2611-${String(500 + i).padStart(6, '0')}`,
    service: e.service,
    nik: `35740122029${String(100 + i).padStart(5, '0')}`,
    name: SUBJECT_NAMES[i % SUBJECT_NAMES.length]!,
    docs: [{ kind: 'a4' as const, title: e.printedTitle ?? e.name.id.toUpperCase(), pages: 1 }],
    label: e.name.id,
  }));
}

const SUBJECT_NAMES = [
  'AHMAD FAUZI',
  'DIAH PITALOKA',
  'EKO PRABOWO',
  'FITRIANI',
  'GILANG RAMADHAN',
  'HANA SALSABILA',
  'IRFAN HAKIM',
  'JUWITA SARI',
  'KURNIAWAN',
  'LESTARI HANDAYANI',
  'MUHAMMAD RIZKI',
  'NURUL HIDAYAH',
  'OKTAVIANUS WENDA',
  'PRATIWI',
  'QORI AULIA',
];

/** The resident with a full list: head of a family, 21 applications, so the sign-in lists 20. */
const RATNA = { nik: '3574015508750021', name: 'RATNA KUSUMAWATI' };

/**
 * Ratna's applications, newest first: printable ones of several services, every stage in process,
 * printed, rejected, cancelled, printed at the office, one of another region (Kota Malang) and one of a
 * service no kiosk knows yet; the oldest is the 21st, beyond the list's 20.
 */
function residentSpecs(): SeedSpec[] {
  const child = { nik: '3574016604150022', name: 'ALYA KUSUMA PUTRI' };
  const rows: Array<[Service, Partial<SeedSpec>, string]> = [
    ['KK', {}, 'KK keluarga Ratna'],
    ['AKTA_KELAHIRAN', { ...child }, 'Akta Kelahiran anak'],
    ['KIA', { ...child }, 'KIA anak'],
    ['AKTA_PERUBAHAN_NAMA', {}, 'Layanan baru (belum dikenal kios)'],
    ['SK_PINDAH_DATANG', {}, 'Surat Keterangan Pindah Datang'],
    ['BIODATA', {}, 'Biodata'],
    ['KTP_EL', { pinRequired: true }, 'KTP-el (PIN wajib)'],
    ['AKTA_PENGAKUAN_ANAK', { ...child }, 'Akta Pengakuan Anak'],
    ['SK_KELAHIRAN', { ...child }, 'Surat Keterangan Kelahiran'],
    ['KTP_EL', { status: 'IN_PROCESS', stage: 'VERIFICATION' }, 'Diproses: verifikasi'],
    ['KK', { status: 'IN_PROCESS', stage: 'DATA_ENTRY' }, 'Diproses: entri data'],
    ['AKTA_KEMATIAN', { status: 'IN_PROCESS', stage: 'VALIDATION' }, 'Diproses: validasi'],
    ['SK_PENGGANTI_TANDA_IDENTITAS', { status: 'IN_PROCESS', stage: 'SIGNING' }, 'Diproses: TTE'],
    ['KIA', { ...child, status: 'PRINTED' }, 'Sudah dicetak'],
    ['AKTA_PERKAWINAN', { status: 'PRINTED' }, 'Sudah dicetak'],
    ['SK_TEMPAT_TINGGAL', { status: 'REJECTED' }, 'Ditolak'],
    ['SURAT_PINDAH', { status: 'CANCELLED' }, 'Dibatalkan'],
    ['AKTA_KELAHIRAN', { ...child, selfPrint: false }, 'Dicetak di kantor'],
    ['KTP_EL', { region: '3573' }, 'Wilayah lain (Kota Malang)'],
    ['BIODATA', {}, 'Biodata'],
    ['KK', {}, 'Permohonan ke-21 (di luar daftar)'],
  ];
  return rows.map(([service, extra, label], i) => {
    const subject = { nik: extra.nik ?? RATNA.nik, name: extra.name ?? RATNA.name };
    const card = service === 'KTP_EL' || service === 'KIA';
    const title = serviceEntry(service).printedTitle ?? 'DOKUMEN KEPENDUDUKAN';
    return {
      ...extra,
      no: `${extra.region ?? '3574'}-RSD-2611-${String(700 + i).padStart(6, '0')}`,
      service,
      ...subject,
      applicant: RATNA.nik,
      // Newest first: one day apart, the first the most recent.
      updatedAt: new Date(Date.parse('2026-11-28T03:00:00Z') - i * 86_400_000)
        .toISOString()
        .replace('.000', ''),
      docs: card
        ? [{ kind: 'card' as const, template: service as 'KTP_EL' | 'KIA' }]
        : [{ kind: 'a4' as const, title, pages: 1 }],
      label: `Ratna: ${label}`,
    };
  });
}

/** Residents with a login PIN; any other NIK is NOT_REGISTERED. */
const RESIDENTS: SimResident[] = [
  { ...RATNA, loginPin: '135790', label: '20 permohonan, berbagai status' },
  { nik: '3574012301880004', name: 'BUDI SANTOSO', loginPin: '246802', label: 'KTP-el dan KK siap cetak' },
  { nik: '3574014706950003', name: 'SITI AMINAH', loginPin: '112233', label: 'KTP-el dengan PIN cetak' },
  { nik: '3574010902900005', name: 'AGUS SETIAWAN', loginPin: '975310', label: 'untuk uji kunci PIN masuk' },
  { nik: '3574011111110012', name: 'LINA MARLINA', loginPin: '864200', label: 'tidak ada yang siap cetak' },
];

let built: Promise<SimApplication[]> | undefined;

/**
 * The simulator's applications with real documents (PDFs with a TTE block, card JSON with a photo)
 * and their SHA-256, and the residents who may sign in. The documents are built once per process;
 * each call gives fresh application records (their status changes as a simulator runs).
 */
export async function buildSeed(): Promise<{ applications: SimApplication[]; residents: SimResident[] }> {
  built ??= cachedApplications();
  const apps = await built;
  return {
    applications: apps.map((a) => ({ ...a, subject: { ...a.subject } })),
    residents: RESIDENTS.map((r) => ({ ...r })),
  };
}

/** A seeded application as kept in the cache: its documents' bytes in base64. */
type KeptApplication = Omit<SimApplication, 'documents'> & {
  documents: Array<Omit<SimDocument, 'bytes'> & { bytes: string }>;
};

/**
 * Drawing the documents (PDFs, card photos) took over a second of every start on one core, with the
 * simulator built into the default config: they are kept (derived-cache.ts) under a hash of all they are
 * made from (this module, the document makers, the issuer's key and the versions of the packages that
 * draw them), and pdf-lib and the canvas are only loaded when that changed.
 */
async function cachedApplications(): Promise<SimApplication[]> {
  const key = seedKey();
  const kept = readDerived<KeptApplication[]>('central-sim-seed', key);
  if (kept)
    return kept.map((a) => ({
      ...a,
      documents: a.documents.map((d) => ({ ...d, bytes: new Uint8Array(Buffer.from(d.bytes, 'base64')) })),
    }));
  const apps = await buildApplications();
  writeDerived(
    'central-sim-seed',
    key,
    apps.map((a) => ({
      ...a,
      documents: a.documents.map((d) => ({ ...d, bytes: Buffer.from(d.bytes).toString('base64') })),
    })),
  );
  return apps;
}

function seedKey(): string {
  const require = createRequire(import.meta.url);
  const source = (specifier: string) => readFileSync(fileURLToPath(import.meta.resolve(specifier)));
  const version = (pkg: string) =>
    (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return derivedKey(
    source(import.meta.url),
    source(`./documents.${ext}`),
    source(`../../documents/card/sample-documents.${ext}`),
    readFileSync(SIM_ISSUER_KEY_PATH),
    ...['pdf-lib', 'qrcode', '@napi-rs/canvas'].map(version),
  );
}

async function buildApplications(): Promise<SimApplication[]> {
  const { a4Pdf, cardDocument } = await import('./documents.ts');
  const apps: SimApplication[] = [];
  for (const [i, spec] of [...SPECS, ...catalogueSpecs(), ...residentSpecs()].entries()) {
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
        const bytes = await a4Pdf(
          d.title,
          { applicationNo: spec.no, nik: spec.nik, name: spec.name },
          d.pages,
        );
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
      updatedAt: spec.updatedAt ?? UPDATED_AT,
      label: spec.label,
      ...(spec.applicant ? { applicantNik: spec.applicant } : {}),
    });
  }
  return apps;
}

/** SHA-256 in lower-case hex. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
