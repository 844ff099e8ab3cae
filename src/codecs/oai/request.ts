/**
 * OAI-PMH 2.0 request validation (§3.1, §3.6 and §4): the arguments of an HTTP GET query or a
 * POST form (`application/x-www-form-urlencoded`), as ordered name/value pairs with repeated
 * names kept, become a typed request or the protocol errors to answer with.
 *
 * Rules:
 * - `verb` missing, repeated or not one of the six verbs → `badVerb`, alone (the other arguments
 *   mean nothing without a verb);
 * - every other problem is collected, so one response lists all of them: an argument the verb does
 *   not take, a repeated argument, a required one missing, an empty value, `resumptionToken` with
 *   anything but `verb` (it is exclusive), `metadataPrefix` or `set` not of the syntax the schema
 *   gives (`metadataPrefixType`, `setSpecType`), `from`/`until` that are not UTC datestamps,
 *   `from` and `until` of different granularity, `from` later than `until` → `badArgument`;
 *   an empty `resumptionToken` → `badResumptionToken`;
 * - what only the repository knows (whether a token is good, whether a format, set or identifier
 *   exists) is left to the caller: `decodeToken` in `token.ts`, and the service's own lookups.
 *
 * `echo` holds the attributes of the response's `<request>` element: the request's arguments when
 * it is sound, and none when any error is `badVerb` or `badArgument` (§3.2: in those cases the
 * request element carries the base URL only).
 */
import { parseDatestamp, type OaiDatestamp } from './datestamp.js';

export const OAI_VERBS = ['Identify', 'ListMetadataFormats', 'ListSets', 'GetRecord', 'ListIdentifiers', 'ListRecords'] as const;
export type OaiVerb = (typeof OAI_VERBS)[number];

export const OAI_ERROR_CODES = [
  'badArgument',
  'badResumptionToken',
  'badVerb',
  'cannotDisseminateFormat',
  'idDoesNotExist',
  'noRecordsMatch',
  'noMetadataFormats',
  'noSetHierarchy',
] as const;
export type OaiErrorCode = (typeof OAI_ERROR_CODES)[number];

export interface OaiError {
  code: OaiErrorCode;
  message: string;
}

/** A ListIdentifiers/ListRecords request that starts a list. */
export interface OaiListStart {
  verb: 'ListIdentifiers' | 'ListRecords';
  resumptionToken?: undefined;
  metadataPrefix: string;
  set?: string;
  /** The first instant selected. */
  from?: OaiDatestamp;
  /** The last millisecond selected (inclusive: a whole day for `YYYY-MM-DD`). */
  until?: OaiDatestamp;
}

/** A ListIdentifiers/ListRecords request that continues a list. */
export interface OaiListResume {
  verb: 'ListIdentifiers' | 'ListRecords';
  resumptionToken: string;
}

export type OaiRequest =
  | { verb: 'Identify' }
  | { verb: 'ListMetadataFormats'; identifier?: string }
  | { verb: 'ListSets'; resumptionToken?: string }
  | { verb: 'GetRecord'; identifier: string; metadataPrefix: string }
  | OaiListStart
  | OaiListResume;

export type OaiRequestResult =
  | { ok: true; request: OaiRequest; echo: Record<string, string> }
  | { ok: false; errors: OaiError[]; echo: Record<string, string> };

/** The schema's `metadataPrefixType`. */
export const METADATA_PREFIX = /^[A-Za-z0-9\-_.!~*'()]+$/;
/** The schema's `setSpecType`: colon-separated parts of the same characters. */
export const SET_SPEC = /^[A-Za-z0-9\-_.!~*'()]+(?::[A-Za-z0-9\-_.!~*'()]+)*$/;

interface VerbArgs {
  required: readonly string[];
  optional: readonly string[];
  /** Whether the verb takes the exclusive `resumptionToken`. */
  resumable: boolean;
}

const LIST_ARGS: VerbArgs = { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], resumable: true };
const ARGS: Record<OaiVerb, VerbArgs> = {
  Identify: { required: [], optional: [], resumable: false },
  ListMetadataFormats: { required: [], optional: ['identifier'], resumable: false },
  ListSets: { required: [], optional: [], resumable: true },
  GetRecord: { required: ['identifier', 'metadataPrefix'], optional: [], resumable: false },
  ListIdentifiers: LIST_ARGS,
  ListRecords: LIST_ARGS,
};

function isVerb(s: string): s is OaiVerb {
  return (OAI_VERBS as readonly string[]).includes(s);
}

/**
 * Validates an OAI-PMH request.
 *
 * @example parseOaiRequest([['verb', 'GetRecord'], ['identifier', 'oai:lienthong.vn:42'], ['metadataPrefix', 'oai_dc']])
 * // { ok: true, request: { verb: 'GetRecord', identifier: 'oai:lienthong.vn:42', metadataPrefix: 'oai_dc' }, echo: { verb: 'GetRecord', … } }
 * @example parseOaiRequest([['verb', 'ListRecords']])
 * // { ok: false, errors: [{ code: 'badArgument', message: "ListRecords requires the argument 'metadataPrefix'" }], echo: {} }
 */
export function parseOaiRequest(params: ReadonlyArray<readonly [string, string]>): OaiRequestResult {
  const values = new Map<string, string[]>();
  for (const [name, value] of params) {
    const list = values.get(name);
    if (list) list.push(value);
    else values.set(name, [value]);
  }

  const verbs = values.get('verb') ?? [];
  if (verbs.length === 0) return failure([{ code: 'badVerb', message: 'the request has no verb argument' }]);
  if (verbs.length > 1) return failure([{ code: 'badVerb', message: `the verb argument is repeated (${verbs.map((v) => `'${clip(v)}'`).join(', ')})` }]);
  const verb = verbs[0]!;
  if (!isVerb(verb)) return failure([{ code: 'badVerb', message: `'${clip(verb)}' is not an OAI-PMH verb (${OAI_VERBS.join(', ')})` }]);

  const spec = ARGS[verb];
  const errors: OaiError[] = [];
  const bad = (message: string) => errors.push({ code: 'badArgument', message });
  const allowed = new Set<string>([...spec.required, ...spec.optional, ...(spec.resumable ? ['resumptionToken'] : [])]);
  const args = new Map<string, string>();
  for (const [name, list] of values) {
    if (name === 'verb') continue;
    if (!allowed.has(name)) {
      bad(name === '' ? 'the request has an argument without a name' : `${verb} does not take the argument '${clip(name)}'`);
      continue;
    }
    if (list.length > 1) {
      bad(`the argument '${name}' is repeated`);
      continue;
    }
    args.set(name, list[0]!);
  }
  // Repeated or unknown arguments already make the request bad; checking values too still helps.
  const token = args.get('resumptionToken');
  const given = values.has('resumptionToken');
  if (given) {
    const others = [...values.keys()].filter((k) => k !== 'verb' && k !== 'resumptionToken' && allowed.has(k));
    if (others.length > 0) bad(`resumptionToken is an exclusive argument: ${others.map((k) => `'${k}'`).join(', ')} may not accompany it`);
    if (token === '') errors.push({ code: 'badResumptionToken', message: 'the resumptionToken argument is empty' });
  } else {
    for (const name of spec.required) if (!values.has(name)) bad(`${verb} requires the argument '${name}'`);
  }
  for (const [name, value] of args) {
    if (name !== 'resumptionToken' && value === '') bad(`the argument '${name}' is empty`);
  }

  const prefix = args.get('metadataPrefix');
  if (prefix && !METADATA_PREFIX.test(prefix)) bad(`'${clip(prefix)}' is not a metadataPrefix (letters, digits and - _ . ! ~ * ' ( ) only)`);
  const set = args.get('set');
  if (set && !SET_SPEC.test(set)) bad(`'${clip(set)}' is not a setSpec (colon-separated parts of letters, digits and - _ . ! ~ * ' ( ) only)`);
  const fromText = args.get('from');
  const untilText = args.get('until');
  let from: OaiDatestamp | undefined;
  let until: OaiDatestamp | undefined;
  if (fromText) {
    const d = parseDatestamp(fromText, 'from');
    if ('error' in d) bad(`from: ${d.error}`);
    else from = d;
  }
  if (untilText) {
    const d = parseDatestamp(untilText, 'until');
    if ('error' in d) bad(`until: ${d.error}`);
    else until = d;
  }
  if (from && until) {
    if (from.granularity !== until.granularity) {
      bad(`from ('${fromText}') and until ('${untilText}') must have the same granularity`);
    } else if (from.ms > (parseDatestamp(untilText!, 'from') as OaiDatestamp).ms) {
      bad(`from ('${fromText}') is later than until ('${untilText}')`);
    }
  }

  if (errors.length > 0) return failure(errors, echoOf(verb, args));
  const echo = echoOf(verb, args);
  switch (verb) {
    case 'Identify':
      return { ok: true, request: { verb }, echo };
    case 'ListMetadataFormats': {
      const identifier = args.get('identifier');
      return { ok: true, request: identifier === undefined ? { verb } : { verb, identifier }, echo };
    }
    case 'ListSets':
      return { ok: true, request: token === undefined ? { verb } : { verb, resumptionToken: token }, echo };
    case 'GetRecord':
      return { ok: true, request: { verb, identifier: args.get('identifier')!, metadataPrefix: prefix! }, echo };
    case 'ListIdentifiers':
    case 'ListRecords': {
      if (token !== undefined) return { ok: true, request: { verb, resumptionToken: token }, echo };
      const request: OaiListStart = { verb, metadataPrefix: prefix! };
      if (set !== undefined) request.set = set;
      if (from) request.from = from;
      if (until) request.until = until;
      return { ok: true, request, echo };
    }
  }
}

/** The order the schema lists the request element's attributes in. */
const ECHO_ORDER = ['verb', 'identifier', 'metadataPrefix', 'from', 'until', 'set', 'resumptionToken'] as const;

function echoOf(verb: OaiVerb, args: Map<string, string>): Record<string, string> {
  const echo: Record<string, string> = { verb };
  for (const name of ECHO_ORDER) {
    const v = args.get(name);
    if (name !== 'verb' && v !== undefined) echo[name] = v;
  }
  return echo;
}

/**
 * The `<request>` attributes for a response with these errors: none when any is `badVerb` or
 * `badArgument` (§3.2), else the request's own.
 */
export function echoForErrors(errors: readonly OaiError[], echo: Record<string, string>): Record<string, string> {
  return errors.some((e) => e.code === 'badVerb' || e.code === 'badArgument') ? {} : echo;
}

function failure(errors: OaiError[], echo: Record<string, string> = {}): OaiRequestResult {
  return { ok: false, errors, echo: echoForErrors(errors, echo) };
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}
