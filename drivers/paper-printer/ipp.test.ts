import { describe, expect, it } from 'vitest';
import { decodeIppResponse, encodeIppRequest, IppGroup, IppOperation, IppTag, ippGroup } from './ipp.ts';

describe('IPP wire format', () => {
  it('encodes a request: version 1.1, operation, request id, charset and language first, end tag, data', () => {
    const bytes = encodeIppRequest({
      operation: IppOperation.getJobAttributes,
      requestId: 7,
      attributes: [{ tag: IppTag.integer, name: 'job-id', values: [258] }],
      data: Uint8Array.of(0xaa),
    });
    expect([...bytes.subarray(0, 9)]).toEqual([1, 1, 0, 9, 0, 0, 0, 7, IppGroup.operation]);
    expect(bytes[9]).toBe(IppTag.charset);
    const charset = [
      IppTag.charset,
      0,
      18,
      ...new TextEncoder().encode('attributes-charset'),
      0,
      5,
      ...new TextEncoder().encode('utf-8'),
    ];
    expect([...bytes.subarray(9, 9 + charset.length)]).toEqual(charset);
    const jobId = [IppTag.integer, 0, 6, ...new TextEncoder().encode('job-id'), 0, 4, 0, 0, 1, 2];
    expect([...bytes.subarray(bytes.length - jobId.length - 2)]).toEqual([...jobId, IppGroup.end, 0xaa]);
  });

  it('decodes a response with groups and a multi-valued attribute', () => {
    // A response has the same layout as a request, so the encoder builds the fixture.
    const req = encodeIppRequest({
      operation: 0x0000,
      requestId: 3,
      attributes: [
        { tag: IppTag.keyword, name: 'printer-state-reasons', values: ['media-jam-error', 'paused'] },
      ],
    });
    const res = decodeIppResponse(req);
    expect(res?.status).toBe(0);
    expect(res?.requestId).toBe(3);
    expect(ippGroup(res!, IppGroup.operation).get('printer-state-reasons')).toEqual([
      'media-jam-error',
      'paused',
    ]);
  });

  it('reads integers, enums and booleans', () => {
    const head = [2, 0, 0, 0, 0, 0, 0, 1, IppGroup.job];
    const attr = (tag: number, name: string, value: number[]) => [
      tag,
      0,
      name.length,
      ...new TextEncoder().encode(name),
      0,
      value.length,
      ...value,
    ];
    const bytes = Uint8Array.from([
      ...head,
      ...attr(IppTag.integer, 'job-id', [0, 0, 0, 42]),
      ...attr(IppTag.enum, 'job-state', [0, 0, 0, 9]),
      ...attr(IppTag.boolean, 'ok', [1]),
      IppGroup.end,
    ]);
    const job = ippGroup(decodeIppResponse(bytes)!, IppGroup.job);
    expect(job.get('job-id')).toEqual([42]);
    expect(job.get('job-state')).toEqual([9]);
    expect(job.get('ok')).toEqual([true]);
  });

  it('rejects truncated messages', () => {
    expect(decodeIppResponse(Uint8Array.of(2, 0, 0))).toBeUndefined();
    expect(decodeIppResponse(Uint8Array.of(2, 0, 0, 0, 0, 0, 0, 1, 2, 0x21, 0, 9, 0x61))).toBeUndefined();
  });
});
