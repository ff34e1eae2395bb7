import { describe, expect, it } from 'vitest';
import type {
  AssistanceRequestBody,
  CompleteBody,
  FeedbackBody,
  HandoffBody,
  HeartbeatBody,
} from './client.ts';
import { operation, rawAt } from './openapi.ts';
import {
  type Application,
  type ApplicationDocument,
  applicationSchema,
  type Claim,
  cardDocumentSchema,
  type PinProof,
  type ResidentLogin,
} from './schemas.ts';

/**
 * The TypeScript names of schemas.ts and client.ts only name what the contract defines: each sample
 * below spells every member its type has (the compiler holds it to the type), and the test holds the
 * same members to the contract's schema, so a member added to one and not the other fails here.
 */
const propertiesOf = (pointer: string): string[] =>
  Object.keys((rawAt(pointer) as { properties: Record<string, unknown> }).properties).sort();
const bodyOf = (id: string): string => operation(id).bodyPointer!;
const keys = (v: object): string[] => Object.keys(v).sort();

const document: Required<ApplicationDocument> = {
  documentId: 'DOC-1',
  medium: 'A4',
  template: 'KIA',
  pages: 1,
  sha256: 'a'.repeat(64),
};
const application: Required<Application> = {
  applicationNo: '3574-KK-2611-000200',
  service: 'KK',
  status: 'READY',
  stage: 'SIGNING',
  regionCode: '3574',
  selfPrint: true,
  pinRequired: false,
  subject: { nik: '3574012301880004', name: 'BUDI SANTOSO' },
  documents: [{ documentId: 'DOC-1', medium: 'A4', pages: 1, sha256: 'a'.repeat(64) }],
  updatedAt: '2026-11-20T02:00:00Z',
};

describe('the client’s types name the contract’s members', () => {
  it('for the answers', () => {
    expect(keys(document)).toEqual(propertiesOf('/components/schemas/Document'));
    expect(keys(application)).toEqual(propertiesOf('/components/schemas/Application'));
    const claim: Required<Claim> = { claimId: 'c', applicationNo: 'a', leaseExpiresAt: 't' };
    expect(keys(claim)).toEqual(propertiesOf('/components/schemas/Claim'));
    const proof: Required<PinProof> = { pinProof: 'p', expiresAt: 't' };
    expect(keys(proof)).toEqual(
      propertiesOf(
        operation('POST /applications/{applicationNo}/pin-verifications').responses[0]!.content[
          'application/json'
        ]!,
      ),
    );
    const login: Required<ResidentLogin> = {
      residentProof: 'r',
      expiresAt: 't',
      resident: { nik: 'n', name: 'x' },
      applications: [],
    };
    expect(keys(login)).toEqual(
      propertiesOf(operation('POST /residents/{nik}/logins').responses[0]!.content['application/json']!),
    );
  });

  it('for the bodies the kiosk sends', () => {
    const complete: Required<CompleteBody> = {
      printedAt: 't',
      cardsPrinted: 1,
      pagesPrinted: 0,
      cardPrinterSerial: 's',
      reference: 'r',
    };
    expect(keys(complete)).toEqual(propertiesOf(bodyOf('POST /claims/{claimId}/complete')));
    const handoff: Required<HandoffBody> = {
      reference: 'r',
      at: 't',
      reason: 'x',
      applicationNo: 'a',
      claimId: 'c',
      cardsPrinted: 0,
      pagesPrinted: 0,
    };
    expect(keys(handoff)).toEqual(propertiesOf(bodyOf('POST /kiosks/{kioskId}/handoffs')));
    const assistance: Required<AssistanceRequestBody> = { at: 't', screen: 'home', reference: 'r' };
    expect(keys(assistance)).toEqual(propertiesOf(bodyOf('POST /kiosks/{kioskId}/assistance-requests')));
    const feedback: Required<FeedbackBody> = { kioskId: 'k', rating: 4, service: 'KK', at: 't' };
    expect(keys(feedback)).toEqual(propertiesOf(bodyOf('POST /feedback')));
    const heartbeat: Required<HeartbeatBody> = {
      at: 't',
      state: 'IN_SERVICE',
      softwareVersion: 'v',
      devices: {},
      supplies: {},
      outboxPending: 0,
    };
    expect(keys(heartbeat)).toEqual(propertiesOf('/components/schemas/Heartbeat'));
  });
});

describe('answer checks compiled from the contract', () => {
  it('take an application of a service the kiosk does not know', () => {
    expect(applicationSchema.safeParse({ ...application, service: 'AKTA_PERUBAHAN_NAMA' }).success).toBe(
      true,
    );
    expect(applicationSchema.safeParse({ ...application, service: 'akta perubahan' }).success).toBe(false);
  });

  it('refuse what the contract refuses, and what the kiosk cannot print', () => {
    expect(applicationSchema.safeParse({ ...application, updatedAt: 'yesterday' })).toMatchObject({
      success: false,
      error: { message: expect.stringMatching(/updatedAt/) },
    });
    const noPages = {
      ...application,
      documents: [{ documentId: 'D', medium: 'A4', sha256: 'a'.repeat(64) }],
    };
    expect(applicationSchema.safeParse(noPages)).toMatchObject({
      success: false,
      error: { message: 'documents.0.pages: is required for A4' },
    });
    const card = {
      template: 'KIA',
      fields: {},
      photo: { contentType: 'image/png', data: 'not base64!' },
      signature: null,
    };
    expect(cardDocumentSchema.safeParse(card).success).toBe(false);
    expect(cardDocumentSchema.safeParse({ ...card, photo: null }).success).toBe(true);
  });
});
