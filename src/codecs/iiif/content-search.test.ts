/**
 * Content Search 2.0 responses against the shapes of the specification's own examples
 * (iiif.io/api/search/2.0, §4.2.1 simple lists, §4.2.2 paging, §4.2.3 containing resources,
 * §4.2.4 ignored parameters, §4.3.1 match context, §5.2–5.3 autocomplete), written out by hand.
 * Where we choose differently from an example, the test says so.
 */
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { fixtureJson } from '../../../test/fixtures/iiif/fixtures.js';
import { buildSearchResponse, buildTermPage, searchService, type SearchHit, type SearchResponseInput } from './content-search.js';
import { IiifInputError } from './presentation.js';

const SERVICE = 'https://example.org/service/manifest/search';
const CANVAS = 'https://example.org/identifier/canvas1';

const bird: SearchHit = {
  canvasId: CANVAS,
  words: [{ text: 'birds', x: 200, y: 100, w: 40, h: 20 }],
  before: 'There are two ',
  match: 'birds',
  after: ' in the bush',
};

function response(change: Partial<SearchResponseInput> = {}) {
  return buildSearchResponse({ searchUrl: SERVICE, q: 'bird', hits: [bird], page: 1, pageSize: 10, total: 1, ...change });
}

/** Every annotation we emit must also be a valid Presentation 3 Annotation. */
const ajv = new Ajv({ strict: false, allErrors: true });
ajvFormats.default(ajv);
ajv.addSchema(fixtureJson('iiif_3_0.json') as object);
const validAnnotation = ajv.getSchema('http://iiif.io/api/presentation/3/schema.json#/classes/annotation');

function expectValidAnnotations(doc: Record<string, unknown>): void {
  const annotations = [...(doc.items as unknown[]), ...((doc.annotations as { items: unknown[] }[] | undefined)?.[0]?.items ?? [])];
  for (const a of annotations) {
    const ok = validAnnotation?.(a);
    expect(ok ? [] : (validAnnotation?.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
  }
}

describe('buildSearchResponse', () => {
  it('§4.2.1 + §4.3.1: one page of results, each hit with its match context', () => {
    const doc = response();
    expect(doc).toEqual({
      '@context': 'http://iiif.io/api/search/2/context.json',
      id: 'https://example.org/service/manifest/search?q=bird',
      type: 'AnnotationPage',
      items: [
        {
          id: 'https://example.org/service/manifest/search?q=bird#hit-0',
          type: 'Annotation',
          // The spec's examples show the page's own text annotations (`painting`); ours are made
          // for the hit, to mark the words on the canvas: `highlighting`, as Web Annotation defines it.
          motivation: 'highlighting',
          body: { type: 'TextualBody', value: 'birds', format: 'text/plain' },
          target: 'https://example.org/identifier/canvas1#xywh=200,100,40,20',
        },
      ],
      annotations: [
        {
          id: 'https://example.org/service/manifest/search?q=bird#context',
          type: 'AnnotationPage',
          items: [
            {
              id: 'https://example.org/service/manifest/search?q=bird#context-0',
              type: 'Annotation',
              motivation: 'contextualizing',
              target: {
                type: 'SpecificResource',
                source: 'https://example.org/service/manifest/search?q=bird#hit-0',
                selector: [{ type: 'TextQuoteSelector', prefix: 'There are two ', exact: 'birds', suffix: ' in the bush' }],
              },
            },
          ],
        },
      ],
    });
    expectValidAnnotations(doc);
  });

  it('§4.2.2: the first of 13 pages of 125 hits', () => {
    const hits = Array.from({ length: 10 }, () => bird);
    const doc = response({ hits, total: 125 });
    expect(doc).toMatchObject({
      id: 'https://example.org/service/manifest/search?q=bird&page=1',
      type: 'AnnotationPage',
      partOf: {
        id: 'https://example.org/service/manifest/search?q=bird',
        type: 'AnnotationCollection',
        total: 125,
        first: { id: 'https://example.org/service/manifest/search?q=bird&page=1', type: 'AnnotationPage' },
        last: { id: 'https://example.org/service/manifest/search?q=bird&page=13', type: 'AnnotationPage' },
      },
      next: { id: 'https://example.org/service/manifest/search?q=bird&page=2', type: 'AnnotationPage' },
      startIndex: 0,
    });
    expect(doc).not.toHaveProperty('prev');
    expect((doc.items as unknown[]).length).toBe(10);
  });

  it('§4.2.2: the last page has prev, no next, and hit ids that continue the numbering', () => {
    const doc = response({ hits: Array.from({ length: 5 }, () => bird), total: 125, page: 13 });
    expect(doc).toMatchObject({
      id: 'https://example.org/service/manifest/search?q=bird&page=13',
      prev: { id: 'https://example.org/service/manifest/search?q=bird&page=12', type: 'AnnotationPage' },
      startIndex: 120,
    });
    expect(doc).not.toHaveProperty('next');
    expect((doc.items as { id: string }[]).map((a) => a.id.replace(/^.*#/, ''))).toEqual(['hit-120', 'hit-121', 'hit-122', 'hit-123', 'hit-124']);
  });

  it('§4.2.3: a hit in a search over a collection names its manifest', () => {
    const doc = response({ hits: [{ ...bird, manifest: { id: 'https://example.org/manifest1868', label: { en: ['Example Manifest'] } } }] });
    expect((doc.items as { target: unknown }[])[0]?.target).toEqual({
      id: 'https://example.org/identifier/canvas1#xywh=200,100,40,20',
      type: 'Canvas',
      partOf: { id: 'https://example.org/manifest1868', type: 'Manifest', label: { en: ['Example Manifest'] } },
    });
    // Not checked against the Presentation 3 schema: Content Search 2.0 §4.2.3 makes this partOf
    // one JSON object, where Presentation 3 (and its schema) has an array. We follow the search spec.
  });

  it('§4.2.4: ignored parameters are listed', () => {
    expect(response({ ignored: ['user'] }).ignored).toEqual(['user']);
    expect(response()).not.toHaveProperty('ignored');
  });

  it('a phrase over two lines: one region per line, not one box over both', () => {
    const doc = response({
      q: 'hand is',
      hits: [
        {
          canvasId: CANVAS,
          words: [
            { text: 'hand', x: 310, y: 100, w: 40, h: 30 },
            { text: 'is', x: 200, y: 140, w: 15, h: 30 },
          ],
          before: 'A bird in the ',
          match: 'hand is',
          after: ' worth two',
        },
      ],
    });
    expect((doc.items as { target: unknown }[])[0]?.target).toEqual([
      'https://example.org/identifier/canvas1#xywh=310,100,40,30',
      'https://example.org/identifier/canvas1#xywh=200,140,15,30',
    ]);
    expectValidAnnotations(doc);
  });

  it('words on one line merge into one region, rounded outwards to whole pixels', () => {
    const doc = response({
      q: 'truyện kiều',
      language: 'vi',
      hits: [
        {
          canvasId: CANVAS,
          words: [
            { text: 'Truyện', x: 100.4, y: 50.6, w: 80, h: 24 },
            { text: 'Kiều', x: 186, y: 52, w: 50.2, h: 23 },
          ],
          before: '',
          match: 'Truyện Kiều',
          after: ' của Nguyễn Du',
        },
      ],
    });
    expect(doc.id).toBe('https://example.org/service/manifest/search?q=truy%E1%BB%87n+ki%E1%BB%81u');
    const [item] = doc.items as { target: unknown; body: unknown }[];
    expect(item?.target).toBe('https://example.org/identifier/canvas1#xywh=100,50,137,25');
    expect(item?.body).toEqual({ type: 'TextualBody', value: 'Truyện Kiều', format: 'text/plain', language: 'vi' });
    const context = (doc.annotations as { items: { target: { selector: unknown[] } }[] }[])[0]?.items[0];
    // No prefix when nothing comes before the match (TextQuoteSelector's prefix is optional).
    expect(context?.target.selector).toEqual([{ type: 'TextQuoteSelector', exact: 'Truyện Kiều', suffix: ' của Nguyễn Du' }]);
  });

  it('a hit without word positions targets the whole canvas', () => {
    const doc = response({ hits: [{ ...bird, words: [] }] });
    expect((doc.items as { target: unknown }[])[0]?.target).toBe(CANVAS);
  });

  it('no hits: an empty page without the extended annotations', () => {
    expect(response({ hits: [], total: 0 })).toEqual({
      '@context': 'http://iiif.io/api/search/2/context.json',
      id: 'https://example.org/service/manifest/search?q=bird',
      type: 'AnnotationPage',
      items: [],
    });
  });

  it('keeps other query parameters of the service URL and replaces q and page', () => {
    const doc = response({ searchUrl: `${SERVICE}?motivation=supplementing&q=old&page=7`, hits: [bird], total: 30, page: 2 });
    expect(doc.id).toBe('https://example.org/service/manifest/search?motivation=supplementing&q=bird&page=2');
  });

  it.each([
    [{ page: 0 }, 'page: 0 is not between 1 and 1'],
    [{ page: 3, total: 15 }, 'page: 3 is not between 1 and 2'],
    [{ pageSize: 0 }, 'pageSize: 0 is not a positive whole number'],
    [{ hits: [bird, bird], pageSize: 1, total: 2 }, 'hits: 2 hits on a page of 1'],
    [{ hits: [bird, bird], total: 1 }, 'hits: page 1 has 2 hits but the total is 1'],
    [{ hits: [{ ...bird, canvasId: 'canvas1' }] }, 'hits[0].canvasId: "canvas1" is not an absolute URI'],
    [{ hits: [{ ...bird, words: [{ text: 'x', x: -1, y: 0, w: 1, h: 1 }] }] }, 'hits[0].words[0].x: -1 is not a non-negative number of pixels'],
    [{ searchUrl: 'ftp://example.org/search' }, 'searchUrl: "ftp://example.org/search" is not an http or https URI'],
  ] as [Partial<SearchResponseInput>, string][])('refuses %j', (change, message) => {
    expect(() => response(change)).toThrow(IiifInputError);
    expect(() => response(change)).toThrow(message);
  });
});

describe('searchService', () => {
  it('§3: the service block, with and without autocomplete', () => {
    expect(searchService('https://example.org/services/identifier/search')).toEqual({ id: 'https://example.org/services/identifier/search', type: 'SearchService2' });
    expect(searchService('https://example.org/services/identifier/search', 'https://example.org/services/identifier/autocomplete')).toEqual({
      id: 'https://example.org/services/identifier/search',
      type: 'SearchService2',
      service: [{ id: 'https://example.org/services/identifier/autocomplete', type: 'AutoCompleteService2' }],
    });
  });
});

describe('buildTermPage', () => {
  it('§5.2: the simple response, exactly as the spec shows it', () => {
    expect(buildTermPage({ url: 'https://example.org/service/identifier/autocomplete?q=bir', terms: [{ value: 'bird' }, { value: 'biro' }, { value: 'birthday' }] })).toEqual({
      '@context': 'http://iiif.io/api/search/2/context.json',
      id: 'https://example.org/service/identifier/autocomplete?q=bir',
      type: 'TermPage',
      items: [{ value: 'bird' }, { value: 'biro' }, { value: 'birthday' }],
    });
  });

  it('§5.3: the extended response (without the NOT RECOMMENDED "type": "Term")', () => {
    const page = buildTermPage({
      url: 'https://example.org/service/identifier/autocomplete?q=bir',
      ignored: ['user'],
      terms: [
        { value: 'bird', language: 'en', total: 15 },
        { value: 'https://semtag.example.org/tag/biro', total: 3, label: { en: ['biro'] }, searchUrl: 'https://example.org/service/identifier/search?motivation=tagging&q=semtag:biro' },
        { value: 'birth', total: 9, label: { en: ['birth'], fr: ['naissance'] } },
      ],
    });
    expect(page).toEqual({
      '@context': 'http://iiif.io/api/search/2/context.json',
      id: 'https://example.org/service/identifier/autocomplete?q=bir',
      type: 'TermPage',
      ignored: ['user'],
      items: [
        { value: 'bird', language: 'en', total: 15 },
        {
          value: 'https://semtag.example.org/tag/biro',
          total: 3,
          label: { en: ['biro'] },
          service: [{ id: 'https://example.org/service/identifier/search?motivation=tagging&q=semtag:biro', type: 'SearchService2' }],
        },
        { value: 'birth', total: 9, label: { en: ['birth'], fr: ['naissance'] } },
      ],
    });
  });

  it('a folded term with its Vietnamese spelling as the label', () => {
    const page = buildTermPage({ url: 'https://example.org/autocomplete?q=kie', terms: [{ value: 'kiều', label: { vi: ['Kiều'] }, total: 412 }] });
    expect(page.items).toEqual([{ value: 'kiều', total: 412, label: { vi: ['Kiều'] } }]);
    expect(() => buildTermPage({ url: 'https://example.org/a', terms: [{ value: 'x', total: -1 }] })).toThrow('terms[0].total: -1 is not a count');
  });
});
