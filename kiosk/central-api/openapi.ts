import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { derivedKey, derivedSync } from '../derived-cache.ts';
import { CONTRACT_DIR } from '../paths.ts';

/**
 * The contract's OpenAPI file (`contract/central-api.yaml`) as the one source of every schema: the
 * client checks answers, the simulator checks requests and the conformance test generates both from
 * what is read here. Nothing restates a schema by hand. OpenAPI 3.1 schemas are JSON Schema 2020-12;
 * `ajv-formats` gives `date-time` (RFC 3339 with an offset), `uuid` and the rest their meaning.
 */
export const CENTRAL_API_PATH = join(CONTRACT_DIR, 'central-api.yaml');

type Json = Record<string, unknown>;

/** One parameter of an operation (path or header), its `$ref` resolved. */
export interface OperationParameter {
  name: string;
  in: 'path' | 'header' | 'query';
  required: boolean;
  /** JSON pointer (within the contract) of its schema. */
  schemaPointer: string;
}

/** One answer an operation may give: its status key (`200`, `5XX`) and its media types. */
export interface OperationResponse {
  status: string;
  /** Media type → JSON pointer of its schema; empty for an answer without a body. */
  content: Record<string, string>;
}

/** One operation of the contract, with everything needed to call it, check it and answer it. */
export interface Operation {
  /** `GET /applications/{applicationNo}`: the key used by the simulator and the tests. */
  id: string;
  method: 'get' | 'post';
  /** The path template, e.g. `/applications/{applicationNo}`. */
  path: string;
  parameters: OperationParameter[];
  /** JSON pointer of the JSON request body's schema, when the operation takes one. */
  bodyPointer?: string;
  responses: OperationResponse[];
}

/** A compiled schema: `check` answers undefined for a valid value, else the first breach in words. */
export interface CompiledSchema {
  pointer: string;
  check(value: unknown): string | undefined;
}

/**
 * The contract document, parsed once per process. Parsing its YAML took half a second of a start on one
 * core: the parsed document is kept (derived-cache.ts) under the hash of the file's text, and the YAML
 * parser is only loaded when the file changed.
 */
export const contractDocument: Json = readContract();

function readContract(): Json {
  const text = readFileSync(CENTRAL_API_PATH, 'utf8');
  return derivedSync('central-api-yaml', derivedKey(text), () => {
    const require = createRequire(import.meta.url);
    const { parse } = require('yaml') as typeof import('yaml');
    return parse(text) as Json;
  });
}

const DOC_ID = 'central-api.yaml';
let ajv: Ajv2020 | undefined;

/**
 * The validator, made at the first check rather than at start: loading ajv, checking the contract
 * against the JSON Schema meta-schema and compiling took a third of a second of every start on one core.
 */
function contractAjv(): Ajv2020 {
  if (ajv) return ajv;
  const require = createRequire(import.meta.url);
  const { Ajv2020: AjvClass } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
  const made = new AjvClass({ strict: false, allErrors: false, validateFormats: true });
  addFormats(made);
  // The whole document is registered under one id, so a schema's `#/components/schemas/...` references
  // resolve inside it exactly as the file writes them.
  made.addSchema(contractDocument, DOC_ID);
  ajv = made;
  return made;
}

const compiled = new Map<string, ValidateFunction>();

/**
 * The schema at `pointer` (e.g. `/components/schemas/Application`), compiled once, at its first check:
 * the kiosk names its answer schemas when it loads, and most are not needed before the first applicant.
 */
export function schemaAt(pointer: string): CompiledSchema {
  const validate = () => {
    let v = compiled.get(pointer);
    if (!v) {
      v = contractAjv().compile({ $ref: `${DOC_ID}#${pointer}` });
      compiled.set(pointer, v);
    }
    return v;
  };
  return {
    pointer,
    check: (value) => {
      const v = validate();
      return v(value) ? undefined : describe(v.errors);
    },
  };
}

/** The raw schema object at `pointer`, for generators. */
export function rawAt(pointer: string): unknown {
  let at: unknown = contractDocument;
  for (const part of pointer.split('/').slice(1)) {
    at = (at as Json)[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return at;
}

/** Every operation of the contract, in the file's order. */
export const operations: Operation[] = readOperations();

/** The operation with this id (`POST /feedback`); throws for an id the contract does not have. */
export function operation(id: string): Operation {
  const op = operations.find((o) => o.id === id);
  if (!op) throw new Error(`the contract has no operation ${id}`);
  return op;
}

/** The listed answer for a status: the exact status, else its class (`5XX`), else none. */
export function responseFor(op: Operation, status: number): OperationResponse | undefined {
  return (
    op.responses.find((r) => r.status === String(status)) ??
    op.responses.find((r) => r.status === `${String(status)[0]}XX`)
  );
}

/** The known Services (the `enum` branch of `Service`): the list grows, so any pattern-valid one is a Service. */
export function knownServicesOfContract(): string[] {
  const service = rawAt('/components/schemas/Service') as { anyOf: Array<{ enum?: string[] }> };
  const list = service.anyOf.find((s) => s.enum)?.enum;
  if (!list) throw new Error('central-api.yaml: Service lists no known services');
  return list;
}

function readOperations(): Operation[] {
  const out: Operation[] = [];
  const paths = contractDocument.paths as Record<string, Json>;
  for (const [path, item] of Object.entries(paths)) {
    for (const method of ['get', 'post'] as const) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const base = `/paths/${pointerPart(path)}/${method}`;
      const parameters = ((op.parameters as Json[] | undefined) ?? []).map((p, i) => {
        const [param, at] = deref(p, `${base}/parameters/${i}`);
        return {
          name: param.name as string,
          in: param.in as OperationParameter['in'],
          required: param.required === true,
          schemaPointer: `${at}/schema`,
        };
      });
      const body = (op.requestBody as Json | undefined)?.content as Json | undefined;
      const responses = Object.entries(op.responses as Json).map(([status, r]) => {
        const [resp, at] = deref(r as Json, `${base}/responses/${pointerPart(status)}`);
        const content: Record<string, string> = {};
        for (const type of Object.keys((resp.content as Json | undefined) ?? {})) {
          content[type] = `${at}/content/${pointerPart(type)}/schema`;
        }
        return { status, content };
      });
      out.push({
        id: `${method.toUpperCase()} ${path}`,
        method,
        path,
        parameters,
        ...(body?.['application/json']
          ? { bodyPointer: `${base}/requestBody/content/application~1json/schema` }
          : {}),
        responses,
      });
    }
  }
  return out;
}

/** Follows an OpenAPI (non-schema) `$ref` such as `#/components/responses/Error`. */
function deref(node: Json, at: string): [Json, string] {
  const ref = node.$ref;
  if (typeof ref !== 'string') return [node, at];
  const pointer = ref.replace(/^#/, '');
  return [rawAt(pointer) as Json, pointer];
}

function pointerPart(part: string): string {
  return part.replaceAll('~', '~0').replaceAll('/', '~1');
}

function describe(errors: ErrorObject[] | null | undefined): string {
  const e = errors?.[0];
  if (!e) return 'invalid';
  return `${e.instancePath.slice(1).replaceAll('/', '.') || 'body'}: ${e.message ?? 'invalid'}`;
}
