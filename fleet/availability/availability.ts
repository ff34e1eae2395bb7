/**
 * What a citizen wants to know before travelling to a kiosk: can it print cards now, A4 now, and will
 * its blank cards last the day. Read from the central Prometheus' HTTP API; nothing personal is there to
 * read (the kiosks' metrics carry none).
 */

/** A kiosk as the operators list it (inventory.json): where it is, never who uses it. */
export interface InventoryKiosk {
  kioskId: string;
  region: string;
  place: string;
  address?: string;
  hours?: string;
}

export type Answer = 'yes' | 'no' | 'unknown';

export interface KioskAvailability extends InventoryKiosk {
  /** The kiosk reports now (its samples reach the central server). */
  online: boolean;
  card: Answer;
  a4: Answer;
  /** Blank cards left cover what the kiosk printed in the last 24 hours. */
  cardsLastTheDay: Answer;
}

export interface AvailabilityFeed {
  generatedAt: string;
  kiosks: KioskAvailability[];
}

/** The instant queries the feed is made of; each answers one value per kiosk_id (and device/supply). */
export const QUERIES = {
  state: 'adm_kiosk_state == 1',
  deviceUp: 'adm_device_up',
  supply: 'adm_supply_remaining',
  cardsPerDay: 'sum by (kiosk_id) (increase(adm_documents_printed_total{medium="CARD"}[1d]))',
} as const;

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** One instant query against the Prometheus HTTP API (`/api/v1/query`). */
export async function instantQuery(
  prometheusUrl: string,
  query: string,
  fetchImpl = fetch,
): Promise<Sample[]> {
  const url = `${prometheusUrl.replace(/\/+$/, '')}/api/v1/query?query=${encodeURIComponent(query)}`;
  const res = await fetchImpl(url, { signal: AbortSignal.timeout(5_000) });
  const body = (await res.json()) as { status: string; data?: { resultType: string; result: Sample[] } };
  if (body.status !== 'success' || body.data?.resultType !== 'vector')
    throw new Error(`query failed: ${query}`);
  return body.data.result;
}

/** The feed, from the inventory and the four queries' answers. */
export function availabilityOf(
  inventory: InventoryKiosk[],
  answers: Record<keyof typeof QUERIES, Sample[]>,
  now: Date,
): AvailabilityFeed {
  const byKiosk = (samples: Sample[], key?: string) => {
    const out = new Map<string, Map<string, number>>();
    for (const s of samples) {
      const id = s.metric.kiosk_id;
      if (!id) continue;
      const m = out.get(id) ?? new Map<string, number>();
      m.set(key ? (s.metric[key] ?? '') : '', Number(s.value[1]));
      out.set(id, m);
    }
    return out;
  };
  const state = byKiosk(answers.state, 'state');
  const up = byKiosk(answers.deviceUp, 'device');
  const supply = byKiosk(answers.supply, 'supply');
  const perDay = byKiosk(answers.cardsPerDay);
  const kiosks = inventory.map((k): KioskAvailability => {
    const st = state.get(k.kioskId);
    if (!st) return { ...k, online: false, card: 'unknown', a4: 'unknown', cardsLastTheDay: 'unknown' };
    const inService = st.get('IN_SERVICE') === 1;
    const dev = up.get(k.kioskId) ?? new Map<string, number>();
    const sup = supply.get(k.kioskId) ?? new Map<string, number>();
    const left = (name: string) => sup.get(name) === undefined || (sup.get(name) ?? 0) > 0;
    const card: Answer =
      inService && dev.get('card_printer') === 1 && left('blank_cards') && left('ribbon_panels')
        ? 'yes'
        : 'no';
    const a4: Answer = inService && dev.get('paper_printer') === 1 && left('paper_sheets') ? 'yes' : 'no';
    const blank = sup.get('blank_cards');
    const used = perDay.get(k.kioskId)?.get('') ?? 0;
    const cardsLastTheDay: Answer =
      card === 'no' || blank === undefined ? 'unknown' : blank >= used ? 'yes' : 'no';
    return { ...k, online: true, card, a4, cardsLastTheDay };
  });
  return { generatedAt: now.toISOString(), kiosks };
}
