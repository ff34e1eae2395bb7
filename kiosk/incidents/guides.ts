import type { IncidentCause, IncidentKind } from './kinds.ts';

/** A text in both languages of the kiosk. `{name}` is replaced by the incident's field of that name. */
export interface Bilingual {
  id: string;
  en: string;
}

/** What a technician reads for one kind of incident: a title, what the kiosk saw, numbered steps. */
export interface IncidentGuide {
  title: Bilingual;
  /** What the kiosk saw; `{applicationNo}`, `{state}` and other `detail` fields are filled in. */
  saw: Bilingual;
  /** The steps to fix it, in order; the last one says how the incident closes. */
  steps: Bilingual[];
  /** When set, the incident closes by itself once the kiosk sees this cause gone. */
  cause?: IncidentCause;
}

const CHECK_AGAIN: Bilingual = {
  id: 'Tekan "Periksa lagi"; insiden tertutup sendiri bila printer siap.',
  en: 'Press "Check again"; the incident closes by itself once the printer is ready.',
};
const NOTE_AND_CLOSE: Bilingual = {
  id: 'Tulis catatan apa yang dilakukan, lalu tekan "Tutup insiden".',
  en: 'Write a note of what was done, then press "Close incident".',
};
const PAPER_CHECK_AGAIN: Bilingual = {
  id: 'Tekan "Periksa lagi"; insiden tertutup sendiri bila printer A4 siap.',
  en: 'Press "Check again"; the incident closes by itself once the A4 printer is ready.',
};

/** The guide of every incident kind. */
export const INCIDENT_GUIDES: Record<IncidentKind, IncidentGuide> = {
  'claim-lost': {
    title: { id: 'Dokumen tercetak tanpa klaim', en: 'Printed without a claim' },
    saw: {
      id: 'Dokumen {applicationNo} sudah tercetak, tetapi server pusat menolak penyelesaiannya (klaim hilang).',
      en: 'Document {applicationNo} was printed, but the central server refused its completion (claim lost).',
    },
    steps: [
      {
        id: 'Hubungi kantor Dukcapil dan sebutkan nomor permohonan.',
        en: 'Call the Dukcapil office and give the application number.',
      },
      { id: 'Kantor menandai dokumen sebagai tercetak.', en: 'The office marks the document as printed.' },
      NOTE_AND_CLOSE,
    ],
  },
  'outbox-refused': {
    title: { id: 'Pesan ditolak server', en: 'Message refused by the server' },
    saw: {
      id: 'Server pusat menolak pesan "{message}" untuk selamanya: {answer}.',
      en: 'The central server refused the "{message}" message for good: {answer}.',
    },
    steps: [
      {
        id: 'Periksa token dan jam kios di layar Konfigurasi dan Daftar periksa.',
        en: 'Check the kiosk token and clock on the Configuration and Checklist screens.',
      },
      {
        id: 'Laporkan ke helpdesk pusat dengan jam kejadian.',
        en: 'Report it to the central helpdesk with the time shown.',
      },
      NOTE_AND_CLOSE,
    ],
  },
  'partial-print': {
    title: { id: 'Cetak sebagian', en: 'Partly printed' },
    saw: {
      id: 'Permohonan {applicationNo}: {printed} dari {of} dokumen tercetak sebelum gangguan.',
      en: 'Application {applicationNo}: {printed} of {of} documents came out before a fault.',
    },
    steps: [
      {
        id: 'Perbaiki printer sesuai insiden printer yang terbuka.',
        en: 'Fix the printer as its own open incident says.',
      },
      {
        id: 'Pemohon mengambil sisa dokumen di loket.',
        en: 'The applicant collects the rest at the counter.',
      },
      NOTE_AND_CLOSE,
    ],
  },
  'card-outcome-unknown': {
    title: { id: 'Nasib kartu belum diketahui', en: 'Card outcome unknown' },
    saw: {
      id: 'Printer kartu diam setelah kartu {applicationNo} mungkin sudah masuk.',
      en: 'The card printer went silent after card {applicationNo} may have been fed.',
    },
    steps: [
      { id: 'Periksa kabel dan daya printer kartu.', en: 'Check the card printer cable and power.' },
      {
        id: 'Lihat apakah kartu ada di baki keluar atau kotak tolak.',
        en: 'Look for the card in the output tray or the reject box.',
      },
      {
        id: 'Tekan "Periksa lagi": kios membaca penghitung dan menyelesaikan sesi.',
        en: 'Press "Check again": the kiosk reads the counters and settles the session.',
      },
      NOTE_AND_CLOSE,
    ],
  },
  'a4-job-unknown': {
    title: { id: 'Status cetak A4 tidak diketahui', en: 'A4 job state unknown' },
    saw: {
      id: 'Setelah kios menyala ulang, antrean cetak tidak tahu nasib pekerjaan {jobId}. Dianggap tercetak.',
      en: 'After a restart the spooler could not say what became of job {jobId}. Counted as printed.',
    },
    steps: [
      { id: 'Periksa baki keluar printer A4.', en: 'Check the A4 printer output tray.' },
      {
        id: 'Bila tidak ada, pemohon mencetak di loket.',
        en: 'If nothing is there, the applicant prints at the counter.',
      },
      NOTE_AND_CLOSE,
    ],
  },
  'claim-recovered': {
    title: { id: 'Klaim dilepas setelah mati daya', en: 'Claim released after a power cut' },
    saw: {
      id: 'Klaim {applicationNo} diberikan sebelum kios mati, lalu dilepas saat menyala.',
      en: 'Claim on {applicationNo} was granted before the kiosk stopped and released at start.',
    },
    steps: [
      {
        id: 'Tidak ada yang perlu diperbaiki; pemohon dapat memindai lagi.',
        en: 'Nothing to fix; the applicant can scan again.',
      },
      NOTE_AND_CLOSE,
    ],
  },
  'card-not-taken': {
    title: { id: 'Kartu tidak diambil', en: 'Card not taken' },
    saw: {
      id: 'Kartu tercetak untuk sesi {reference} tidak diambil dan ditarik ke kotak tolak.',
      en: 'The card printed for session {reference} was not taken and was drawn back into the reject box.',
    },
    steps: [
      {
        id: 'Buka printer dan ambil kartu dari kotak tolak.',
        en: 'Open the printer and take the card from the reject box.',
      },
      {
        id: 'Serahkan kartu ke loket dengan nomor sesi {reference}; pemohon akan menanyakannya di sana.',
        en: 'Take the card to the counter with session reference {reference}; the applicant will ask there.',
      },
      NOTE_AND_CLOSE,
    ],
  },
  'card-text': {
    title: { id: 'Teks kartu tidak dapat dicetak', en: 'Card text cannot be printed' },
    saw: {
      id: 'Nama atau alamat pada kartu memuat huruf yang tidak ada di huruf cetak kartu, atau terlalu panjang.',
      en: 'The name or address on a card has characters the card font lacks, or is too long.',
    },
    steps: [
      {
        id: 'Pemohon diarahkan ke loket; cetak kartunya di kantor.',
        en: 'The applicant was sent to the counter; print the card at the office.',
      },
      {
        id: 'Laporkan data permohonan ke petugas verifikasi.',
        en: 'Report the application data to the verifying officer.',
      },
      NOTE_AND_CLOSE,
    ],
  },
  'metrics-unavailable': {
    title: { id: 'Metrik tidak dapat dilayani', en: 'Metrics cannot be served' },
    saw: {
      id: 'Port metrik {host}:{port} tidak dapat dibuka ({code}); pemantauan armada tidak melihat kios ini.',
      en: 'The metrics port {host}:{port} could not be opened ({code}); the fleet monitoring cannot see this kiosk.',
    },
    steps: [
      {
        id: 'Periksa program lain yang memakai port itu, atau ubah metrics.port di konfigurasi.',
        en: 'Look for another program on that port, or change metrics.port in the config.',
      },
      { id: 'Mulai ulang kios dari menu pemeliharaan.', en: 'Restart the kiosk from the maintenance menu.' },
      NOTE_AND_CLOSE,
    ],
  },
  'ledger-mismatch': {
    title: { id: 'Buku kartu tidak cocok', en: 'Card ledger does not match' },
    saw: {
      id: 'Buku kartu dan penghitung printer berbeda (buku {expected}, printer {actual}).',
      en: 'The card ledger and the printer counters differ (ledger {expected}, printer {actual}).',
    },
    steps: [
      { id: 'Hitung blanko di pengumpan.', en: 'Count the blank cards in the feeder.' },
      {
        id: 'Buka "Buku kartu & kertas" dan catat koreksi dengan alasan.',
        en: 'Open "Card & paper ledger" and record a correction with a reason.',
      },
      { id: 'Tekan "Rekonsiliasi".', en: 'Press "Reconcile".' },
      NOTE_AND_CLOSE,
    ],
  },
  'ledger-not-initialised': {
    title: { id: 'Stok kartu belum dicatat', en: 'Card stock not recorded' },
    saw: {
      id: 'Belum ada pengisian blanko yang dicatat; kios mengandalkan sensor pengumpan.',
      en: 'No blank-card load is recorded yet; the kiosk relies on the feeder sensor.',
    },
    steps: [
      { id: 'Hitung blanko di pengumpan.', en: 'Count the blank cards in the feeder.' },
      { id: 'Catat jumlahnya dengan "Isi kartu".', en: 'Record the count with "Load cards".' },
      {
        id: 'Insiden tertutup sendiri setelah pengisian dicatat.',
        en: 'The incident closes by itself once the load is recorded.',
      },
    ],
    cause: 'cards-loaded',
  },
  'card-jam': {
    title: { id: 'Kartu macet', en: 'Card jam' },
    saw: { id: 'Printer kartu melaporkan {state}.', en: 'The card printer reported {state}.' },
    steps: [
      { id: 'Buka tutup printer kartu.', en: 'Open the card printer cover.' },
      {
        id: 'Tarik kartu yang macet perlahan; masukkan ke kotak tolak.',
        en: 'Pull the jammed card out gently; put it in the reject box.',
      },
      { id: 'Tutup kembali printer.', en: 'Close the printer.' },
      CHECK_AGAIN,
    ],
    cause: 'card-printer',
  },
  'card-cover-open': {
    title: { id: 'Tutup printer kartu terbuka', en: 'Card printer cover open' },
    saw: { id: 'Printer kartu melaporkan {state}.', en: 'The card printer reported {state}.' },
    steps: [
      { id: 'Pastikan pita terpasang benar.', en: 'Make sure the ribbon sits right.' },
      { id: 'Tutup printer sampai terkunci.', en: 'Close the cover until it clicks.' },
      CHECK_AGAIN,
    ],
    cause: 'card-printer',
  },
  'card-feeder-empty': {
    title: { id: 'Blanko kartu habis', en: 'Out of blank cards' },
    saw: { id: 'Pengumpan printer kartu kosong ({state}).', en: 'The card feeder is empty ({state}).' },
    steps: [
      { id: 'Isi pengumpan dengan blanko KTP-el.', en: 'Fill the feeder with blank KTP-el cards.' },
      { id: 'Catat jumlahnya dengan "Isi kartu".', en: 'Record the count with "Load cards".' },
      CHECK_AGAIN,
    ],
    cause: 'card-printer',
  },
  'card-ribbon': {
    title: { id: 'Pita habis atau tidak ada', en: 'Ribbon ended or missing' },
    saw: { id: 'Printer kartu melaporkan {state}.', en: 'The card printer reported {state}.' },
    steps: [
      { id: 'Buka tutup printer kartu.', en: 'Open the card printer cover.' },
      { id: 'Ganti pita YMCKO dengan yang baru.', en: 'Fit a new YMCKO ribbon.' },
      { id: 'Tutup printer.', en: 'Close the printer.' },
      CHECK_AGAIN,
    ],
    cause: 'card-printer',
  },
  'card-hopper-full': {
    title: { id: 'Baki keluar penuh', en: 'Output hopper full' },
    saw: { id: 'Printer kartu melaporkan {state}.', en: 'The card printer reported {state}.' },
    steps: [
      { id: 'Kosongkan baki keluar kartu.', en: 'Empty the card output hopper.' },
      { id: 'Serahkan kartu yang tertinggal ke loket.', en: 'Hand any cards left there to the counter.' },
      CHECK_AGAIN,
    ],
    cause: 'card-printer',
  },
  'card-mechanical': {
    title: { id: 'Kerusakan mekanis printer kartu', en: 'Card printer mechanical error' },
    saw: { id: 'Printer kartu melaporkan {state}.', en: 'The card printer reported {state}.' },
    steps: [
      { id: 'Tekan "Setel ulang printer kartu".', en: 'Press "Reset card printer".' },
      {
        id: 'Bila tetap rusak, matikan printer 10 detik lalu nyalakan.',
        en: 'If it stays, switch the printer off for 10 seconds and on again.',
      },
      { id: 'Bila masih rusak, hubungi vendor printer.', en: 'If it still fails, call the printer vendor.' },
      CHECK_AGAIN,
    ],
    cause: 'card-printer',
  },
  'card-printer-offline': {
    title: { id: 'Printer kartu tidak menjawab', en: 'Card printer not answering' },
    saw: { id: 'Printer kartu diam ({state}).', en: 'The card printer is silent ({state}).' },
    steps: [
      { id: 'Periksa daya printer kartu.', en: 'Check the card printer power.' },
      { id: 'Periksa kabel USB/serial ke kios.', en: 'Check the USB/serial cable to the kiosk.' },
      CHECK_AGAIN,
    ],
    cause: 'card-printer',
  },
  'paper-jam': {
    title: { id: 'Kertas macet', en: 'Paper jam' },
    saw: { id: 'Printer A4 melaporkan {state}.', en: 'The A4 printer reported {state}.' },
    steps: [
      { id: 'Buka pintu printer A4.', en: 'Open the A4 printer door.' },
      {
        id: 'Tarik kertas yang macet searah jalannya kertas.',
        en: 'Pull the jammed sheet out the way the paper runs.',
      },
      { id: 'Tutup pintu.', en: 'Close the door.' },
      PAPER_CHECK_AGAIN,
    ],
    cause: 'paper-printer',
  },
  'paper-empty': {
    title: { id: 'Kertas A4 habis', en: 'Out of A4 paper' },
    saw: { id: 'Printer A4 melaporkan {state}.', en: 'The A4 printer reported {state}.' },
    steps: [
      { id: 'Isi baki dengan kertas A4 80 g.', en: 'Fill the tray with A4 80 g paper.' },
      { id: 'Catat jumlahnya dengan "Isi kertas".', en: 'Record the count with "Load paper".' },
      PAPER_CHECK_AGAIN,
    ],
    cause: 'paper-printer',
  },
  'paper-door-open': {
    title: { id: 'Pintu printer A4 terbuka', en: 'A4 printer door open' },
    saw: { id: 'Printer A4 melaporkan {state}.', en: 'The A4 printer reported {state}.' },
    steps: [{ id: 'Tutup pintu printer A4.', en: 'Close the A4 printer door.' }, PAPER_CHECK_AGAIN],
    cause: 'paper-printer',
  },
  'paper-printer-offline': {
    title: { id: 'Printer A4 tidak menjawab', en: 'A4 printer not answering' },
    saw: { id: 'Printer A4 diam ({state}).', en: 'The A4 printer is silent ({state}).' },
    steps: [
      { id: 'Periksa daya printer A4.', en: 'Check the A4 printer power.' },
      { id: 'Periksa kabel printer A4.', en: 'Check the A4 printer cable.' },
      PAPER_CHECK_AGAIN,
    ],
    cause: 'paper-printer',
  },
  'paper-queue-disabled': {
    title: { id: 'Antrean cetak A4 nonaktif', en: 'A4 print queue disabled' },
    saw: { id: 'Antrean cetak melaporkan {state}.', en: 'The print queue reported {state}.' },
    steps: [
      { id: 'Mulai ulang kios dari menu ini.', en: 'Restart the kiosk from this menu.' },
      {
        id: 'Bila tetap, hubungi tim TI untuk mengaktifkan antrean.',
        en: 'If it stays, ask IT to enable the queue.',
      },
      PAPER_CHECK_AGAIN,
    ],
    cause: 'paper-printer',
  },
  'paper-printer-error': {
    title: { id: 'Gangguan printer A4', en: 'A4 printer error' },
    saw: { id: 'Printer A4 melaporkan {state}.', en: 'The A4 printer reported {state}.' },
    steps: [
      { id: 'Lihat pesan di panel printer A4.', en: 'Read the message on the A4 printer panel.' },
      {
        id: 'Matikan printer 10 detik lalu nyalakan.',
        en: 'Switch the printer off for 10 seconds and on again.',
      },
      PAPER_CHECK_AGAIN,
    ],
    cause: 'paper-printer',
  },
  'disk-low': {
    title: { id: 'Ruang disk hampir habis', en: 'Disk nearly full' },
    saw: {
      id: 'Sisa ruang disk {freeBytes} byte, di bawah batas {floorBytes} byte. Kios tidak melayani.',
      en: 'Free disk space {freeBytes} bytes, below the floor of {floorBytes} bytes. The kiosk serves nobody.',
    },
    steps: [
      { id: 'Ekspor laporan ke USB bila perlu.', en: 'Export the reports to a USB stick if needed.' },
      { id: 'Hubungi tim TI untuk mengosongkan ruang disk.', en: 'Ask IT to free disk space.' },
      {
        id: 'Insiden tertutup sendiri bila ruang cukup.',
        en: 'The incident closes by itself once there is room.',
      },
    ],
    cause: 'disk-space',
  },
  'device-fault': {
    title: { id: 'Gangguan perangkat', en: 'Device fault' },
    saw: { id: 'Sebuah perangkat gagal: {recovery}.', en: 'A device failed: {recovery}.' },
    steps: [
      {
        id: 'Buka "Perangkat" dan periksa status tiap printer.',
        en: 'Open "Devices" and check each printer state.',
      },
      NOTE_AND_CLOSE,
    ],
  },
};

/** Fills `{name}` placeholders from an incident's fields; an unknown one shows as "-". */
export function fillGuideText(text: string, fields: Record<string, unknown>): string {
  return text.replace(/\{([A-Za-z]+)\}/g, (_, name: string) => {
    const v = fields[name];
    return typeof v === 'string' || typeof v === 'number' ? String(v) : '-';
  });
}
