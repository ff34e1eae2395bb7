/**
 * Just enough of the IPP/1.1 wire format (RFC 8010) for the CUPS driver: operation requests with
 * operation attributes, and responses read into plain attribute maps. IPP is a binary, big-endian
 * format: version, operation/status code, request id, then attribute groups, each opened by a
 * delimiter tag, then an end tag and the document data.
 */

/** Delimiter tags that open an attribute group. */
export const IppGroup = {
  operation: 0x01,
  job: 0x02,
  end: 0x03,
  printer: 0x04,
  unsupported: 0x05,
} as const;

/** Value tags used here. */
export const IppTag = {
  integer: 0x21,
  boolean: 0x22,
  enum: 0x23,
  textWithoutLanguage: 0x41,
  nameWithoutLanguage: 0x42,
  keyword: 0x44,
  uri: 0x45,
  charset: 0x47,
  naturalLanguage: 0x48,
  mimeMediaType: 0x49,
} as const;

export const IppOperation = {
  printJob: 0x0002,
  cancelJob: 0x0008,
  getJobAttributes: 0x0009,
  getJobs: 0x000a,
  getPrinterAttributes: 0x000b,
} as const;

/** job-state enum values (RFC 8011 5.3.7). */
export const IppJobState = {
  pending: 3,
  pendingHeld: 4,
  processing: 5,
  processingStopped: 6,
  canceled: 7,
  aborted: 8,
  completed: 9,
} as const;

/** printer-state enum values (RFC 8011 5.4.11). */
export const IppPrinterState = { idle: 3, processing: 4, stopped: 5 } as const;

export type IppValue = string | number | boolean;

export interface IppAttribute {
  tag: number;
  name: string;
  values: IppValue[];
}

export interface IppRequest {
  operation: number;
  requestId: number;
  /** Operation attributes after the two every request must start with (charset, language). */
  attributes: IppAttribute[];
  data?: Uint8Array;
}

export interface IppResponse {
  /** 0x0000-0x00ff are successes; 0x04xx client errors, 0x05xx server errors. */
  status: number;
  requestId: number;
  /** One map per group, in order, with the group's delimiter tag. */
  groups: { tag: number; attributes: Map<string, IppValue[]> }[];
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Encodes a request; `attributes-charset` and `attributes-natural-language` are added first, as IPP requires. */
export function encodeIppRequest(req: IppRequest): Uint8Array {
  const parts: number[] = [0x01, 0x01, req.operation >> 8, req.operation & 0xff];
  pushU32(parts, req.requestId);
  parts.push(IppGroup.operation);
  const attrs: IppAttribute[] = [
    { tag: IppTag.charset, name: 'attributes-charset', values: ['utf-8'] },
    { tag: IppTag.naturalLanguage, name: 'attributes-natural-language', values: ['en'] },
    ...req.attributes,
  ];
  for (const a of attrs) {
    a.values.forEach((v, i) => {
      parts.push(a.tag);
      // Additional values of a multi-valued attribute carry an empty name.
      pushBytes(parts, enc.encode(i === 0 ? a.name : ''));
      pushBytes(parts, encodeValue(a.tag, v));
    });
  }
  parts.push(IppGroup.end);
  const head = Uint8Array.from(parts);
  if (!req.data) return head;
  const out = new Uint8Array(head.length + req.data.length);
  out.set(head, 0);
  out.set(req.data, head.length);
  return out;
}

/** Decodes a response; returns `undefined` for bytes that are not a well-formed IPP message. */
export function decodeIppResponse(bytes: Uint8Array): IppResponse | undefined {
  if (bytes.length < 9) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const status = view.getUint16(2);
  const requestId = view.getUint32(4);
  const groups: IppResponse['groups'] = [];
  let pos = 8;
  let current: Map<string, IppValue[]> | undefined;
  let lastName = '';
  while (pos < bytes.length) {
    const tag = bytes[pos]!;
    pos += 1;
    if (tag === IppGroup.end) return { status, requestId, groups };
    if (tag < 0x10) {
      current = new Map();
      groups.push({ tag, attributes: current });
      continue;
    }
    if (pos + 2 > bytes.length) return undefined;
    const nameLen = view.getUint16(pos);
    pos += 2;
    if (pos + nameLen + 2 > bytes.length) return undefined;
    const name = nameLen > 0 ? dec.decode(bytes.subarray(pos, pos + nameLen)) : lastName;
    pos += nameLen;
    const valueLen = view.getUint16(pos);
    pos += 2;
    if (pos + valueLen > bytes.length || !current) return undefined;
    const value = decodeValue(tag, bytes.subarray(pos, pos + valueLen));
    pos += valueLen;
    lastName = name;
    const list = current.get(name);
    if (list) list.push(value);
    else current.set(name, [value]);
  }
  return undefined;
}

/** The first group of the given kind (job or printer attributes), or an empty map. */
/** Every group of a tag (Get-Jobs answers one job group per job). */
export function ippGroups(res: IppResponse, tag: number): Map<string, IppValue[]>[] {
  return res.groups.filter((g) => g.tag === tag).map((g) => g.attributes);
}

export function ippGroup(res: IppResponse, tag: number): Map<string, IppValue[]> {
  return res.groups.find((g) => g.tag === tag)?.attributes ?? new Map();
}

function encodeValue(tag: number, v: IppValue): Uint8Array {
  if (tag === IppTag.integer || tag === IppTag.enum) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, Number(v));
    return b;
  }
  if (tag === IppTag.boolean) return Uint8Array.of(v ? 1 : 0);
  return enc.encode(String(v));
}

function decodeValue(tag: number, b: Uint8Array): IppValue {
  if ((tag === IppTag.integer || tag === IppTag.enum) && b.length === 4) {
    return new DataView(b.buffer, b.byteOffset, 4).getInt32(0);
  }
  if (tag === IppTag.boolean && b.length === 1) return b[0] !== 0;
  // Strings; other binary types (dateTime, resolution, ranges) are not read by this driver.
  return dec.decode(b);
}

function pushU32(parts: number[], n: number): void {
  parts.push((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

function pushBytes(parts: number[], b: Uint8Array): void {
  parts.push(b.length >> 8, b.length & 0xff);
  for (const x of b) parts.push(x);
}
