import { describe, expect, it } from 'vitest';
import { echoForErrors, parseOaiRequest, type OaiError } from './request.js';

type Pairs = Array<[string, string]>;
const q = (s: string): Pairs => [...new URLSearchParams(s)];
const day = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);

describe('parseOaiRequest: sound requests', () => {
  it.each([
    ['verb=Identify', { verb: 'Identify' }, { verb: 'Identify' }],
    ['verb=ListMetadataFormats', { verb: 'ListMetadataFormats' }, { verb: 'ListMetadataFormats' }],
    [
      'verb=ListMetadataFormats&identifier=oai:lienthong.vn:42',
      { verb: 'ListMetadataFormats', identifier: 'oai:lienthong.vn:42' },
      { verb: 'ListMetadataFormats', identifier: 'oai:lienthong.vn:42' },
    ],
    ['verb=ListSets', { verb: 'ListSets' }, { verb: 'ListSets' }],
    ['verb=ListSets&resumptionToken=abc.def', { verb: 'ListSets', resumptionToken: 'abc.def' }, { verb: 'ListSets', resumptionToken: 'abc.def' }],
    [
      'metadataPrefix=oai_dc&identifier=oai%3Alienthong.vn%3A42&verb=GetRecord',
      { verb: 'GetRecord', identifier: 'oai:lienthong.vn:42', metadataPrefix: 'oai_dc' },
      { verb: 'GetRecord', identifier: 'oai:lienthong.vn:42', metadataPrefix: 'oai_dc' },
    ],
    ['verb=ListRecords&metadataPrefix=marc21', { verb: 'ListRecords', metadataPrefix: 'marc21' }, { verb: 'ListRecords', metadataPrefix: 'marc21' }],
    [
      'verb=ListIdentifiers&metadataPrefix=oai_dc&set=thu-vien:kien-giang&from=2024-01-01&until=2024-01-31',
      {
        verb: 'ListIdentifiers',
        metadataPrefix: 'oai_dc',
        set: 'thu-vien:kien-giang',
        from: { ms: day(2024, 1, 1), granularity: 'day' },
        until: { ms: day(2024, 2, 1) - 1, granularity: 'day' },
      },
      { verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', from: '2024-01-01', until: '2024-01-31', set: 'thu-vien:kien-giang' },
    ],
    [
      'verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01T10:00:00Z&until=2024-01-01T10:00:00Z',
      {
        verb: 'ListRecords',
        metadataPrefix: 'oai_dc',
        from: { ms: Date.UTC(2024, 0, 1, 10), granularity: 'seconds' },
        until: { ms: Date.UTC(2024, 0, 1, 10) + 999, granularity: 'seconds' },
      },
      { verb: 'ListRecords', metadataPrefix: 'oai_dc', from: '2024-01-01T10:00:00Z', until: '2024-01-01T10:00:00Z' },
    ],
    ['verb=ListRecords&resumptionToken=tok', { verb: 'ListRecords', resumptionToken: 'tok' }, { verb: 'ListRecords', resumptionToken: 'tok' }],
    ["verb=ListRecords&metadataPrefix=a-Z_0.9!~*'()", { verb: 'ListRecords', metadataPrefix: "a-Z_0.9!~*'()" }, { verb: 'ListRecords', metadataPrefix: "a-Z_0.9!~*'()" }],
  ])('%s', (query, request, echo) => {
    expect(parseOaiRequest(q(query))).toEqual({ ok: true, request, echo });
  });

  it('takes POST form pairs the same way as GET ones', () => {
    const form: Pairs = [
      ['verb', 'GetRecord'],
      ['metadataPrefix', 'oai_dc'],
      ['identifier', 'oai:lienthong.vn:Tiếng Việt'],
    ];
    expect(parseOaiRequest(form)).toMatchObject({ ok: true, request: { identifier: 'oai:lienthong.vn:Tiếng Việt' } });
  });
});

describe('parseOaiRequest: errors', () => {
  const errorsOf = (query: string | Pairs): OaiError[] => {
    const r = parseOaiRequest(typeof query === 'string' ? q(query) : query);
    if (r.ok) throw new Error('expected errors');
    expect(r.echo).toEqual(echoForErrors(r.errors, r.echo));
    return r.errors;
  };
  const badArgument = (message: string): OaiError => ({ code: 'badArgument', message });

  it.each([
    ['', [{ code: 'badVerb', message: 'the request has no verb argument' }]],
    ['metadataPrefix=oai_dc', [{ code: 'badVerb', message: 'the request has no verb argument' }]],
    ['verb=Identify&verb=Identify', [{ code: 'badVerb', message: "the verb argument is repeated ('Identify', 'Identify')" }]],
    ['verb=identify', [{ code: 'badVerb', message: "'identify' is not an OAI-PMH verb (Identify, ListMetadataFormats, ListSets, GetRecord, ListIdentifiers, ListRecords)" }]],
    ['verb=Harvest&junk=1', [{ code: 'badVerb', message: "'Harvest' is not an OAI-PMH verb (Identify, ListMetadataFormats, ListSets, GetRecord, ListIdentifiers, ListRecords)" }]],
    ['verb=', [{ code: 'badVerb', message: "'' is not an OAI-PMH verb (Identify, ListMetadataFormats, ListSets, GetRecord, ListIdentifiers, ListRecords)" }]],
  ])('badVerb, alone: %j', (query, errors) => {
    expect(errorsOf(query)).toEqual(errors);
  });

  it.each([
    ['verb=Identify&metadataPrefix=oai_dc', [badArgument("Identify does not take the argument 'metadataPrefix'")]],
    ['verb=Identify&resumptionToken=x', [badArgument("Identify does not take the argument 'resumptionToken'")]],
    ['verb=GetRecord&metadataPrefix=oai_dc', [badArgument("GetRecord requires the argument 'identifier'")]],
    ['verb=GetRecord', [badArgument("GetRecord requires the argument 'identifier'"), badArgument("GetRecord requires the argument 'metadataPrefix'")]],
    ['verb=GetRecord&identifier=a&metadataPrefix=oai_dc&set=x', [badArgument("GetRecord does not take the argument 'set'")]],
    ['verb=ListRecords', [badArgument("ListRecords requires the argument 'metadataPrefix'")]],
    ['verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=marc21', [badArgument("the argument 'metadataPrefix' is repeated")]],
    ['verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&from=2024-01-02', [badArgument("the argument 'from' is repeated")]],
    ['verb=ListRecords&metadataPrefix=oai_dc&Set=x', [badArgument("ListRecords does not take the argument 'Set'")]],
    ['verb=ListRecords&metadataPrefix=oai_dc&=x', [badArgument('the request has an argument without a name')]],
    ['verb=ListRecords&metadataPrefix=', [badArgument("the argument 'metadataPrefix' is empty")]],
    ['verb=ListRecords&metadataPrefix=oai_dc&set=', [badArgument("the argument 'set' is empty")]],
    ['verb=ListRecords&metadataPrefix=oai dc', [badArgument("'oai dc' is not a metadataPrefix (letters, digits and - _ . ! ~ * ' ( ) only)")]],
    ['verb=ListRecords&metadataPrefix=oai_dc&set=a::b', [badArgument("'a::b' is not a setSpec (colon-separated parts of letters, digits and - _ . ! ~ * ' ( ) only)")]],
    ['verb=ListRecords&metadataPrefix=oai_dc&set=:a', [badArgument("':a' is not a setSpec (colon-separated parts of letters, digits and - _ . ! ~ * ' ( ) only)")]],
    ['verb=ListRecords&metadataPrefix=oai_dc&set=thư-viện', [badArgument("'thư-viện' is not a setSpec (colon-separated parts of letters, digits and - _ . ! ~ * ' ( ) only)")]],
    [
      'verb=ListRecords&metadataPrefix=oai_dc&from=2024-02-30',
      [badArgument("from: '2024-02-30' is not a date in the calendar")],
    ],
    [
      'verb=ListRecords&metadataPrefix=oai_dc&until=2024-01-01T00:00:00',
      [badArgument("until: '2024-01-01T00:00:00' is not a UTC datestamp of the form YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ")],
    ],
    [
      'verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&until=2024-01-02T00:00:00Z',
      [badArgument("from ('2024-01-01') and until ('2024-01-02T00:00:00Z') must have the same granularity")],
    ],
    ['verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-02&until=2024-01-01', [badArgument("from ('2024-01-02') is later than until ('2024-01-01')")]],
    [
      'verb=ListIdentifiers&metadataPrefix=oai_dc&from=2024-01-01T10:00:01Z&until=2024-01-01T10:00:00Z',
      [badArgument("from ('2024-01-01T10:00:01Z') is later than until ('2024-01-01T10:00:00Z')")],
    ],
    ['verb=ListRecords&resumptionToken=t&metadataPrefix=oai_dc', [badArgument("resumptionToken is an exclusive argument: 'metadataPrefix' may not accompany it")]],
    [
      'verb=ListIdentifiers&resumptionToken=t&from=2024-01-01&set=a',
      [badArgument("resumptionToken is an exclusive argument: 'from', 'set' may not accompany it")],
    ],
    ['verb=ListRecords&resumptionToken=a&resumptionToken=b', [badArgument("the argument 'resumptionToken' is repeated")]],
    [
      'verb=ListRecords&metadataPrefix=oai dc&from=x&until=2024-01-01&junk=1',
      [
        badArgument("ListRecords does not take the argument 'junk'"),
        badArgument("'oai dc' is not a metadataPrefix (letters, digits and - _ . ! ~ * ' ( ) only)"),
        badArgument("from: 'x' is not a UTC datestamp of the form YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ"),
      ],
    ],
  ])('badArgument: %s', (query, errors) => {
    expect(errorsOf(query)).toEqual(errors);
  });

  it('an empty resumptionToken is a badResumptionToken, and the request is echoed', () => {
    expect(parseOaiRequest(q('verb=ListRecords&resumptionToken='))).toEqual({
      ok: false,
      errors: [{ code: 'badResumptionToken', message: 'the resumptionToken argument is empty' }],
      echo: { verb: 'ListRecords', resumptionToken: '' },
    });
  });

  it('echoes no attributes with badVerb or badArgument (§3.2)', () => {
    for (const query of ['verb=Nope', 'verb=ListRecords', 'verb=ListRecords&resumptionToken=&metadataPrefix=oai_dc']) {
      const r = parseOaiRequest(q(query));
      expect(r.ok).toBe(false);
      expect(r.echo).toEqual({});
    }
  });

  it('never throws on odd input', () => {
    const odd: Pairs = [
      ['verb', 'ListRecords'],
      ['metadataPrefix', '\u0000<&>"'],
      ['from', '\ud800'],
      ['__proto__', 'x'],
      ['constructor', 'y'],
    ];
    const r = parseOaiRequest(odd);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.code)).toEqual(['badArgument', 'badArgument', 'badArgument', 'badArgument']);
  });
});
