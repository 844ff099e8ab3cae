/**
 * The builders' output against the Presentation 3 JSON Schema of the official IIIF presentation
 * validator (test/fixtures/iiif/iiif_3_0.json), against the IIIF Cookbook's book recipe, and
 * against hand-written expectations.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { fixtureJson } from '../../../test/fixtures/iiif/fixtures.js';
import { searchService } from './content-search.js';
import { buildCollection, buildManifest, IiifInputError, noLanguage, rightsUri, viEn, type CanvasInput, type ManifestInput } from './presentation.js';

// The validator's schema has a few misspelt keywords ("type:"), which strict mode would refuse.
const ajv = new Ajv({ strict: false, allErrors: true });
// ajv-formats is CommonJS: under NodeNext its plugin is the module's `default` property.
ajvFormats.default(ajv);
const validate: ValidateFunction = ajv.compile(fixtureJson('iiif_3_0.json') as object);

function expectValid(document: unknown): void {
  const ok = validate(document);
  expect(ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
}

const BASE = 'https://thuvien.kiengiang.example.vn/iiif';

function page(n: number, extra: Partial<CanvasInput> = {}): CanvasInput {
  return {
    id: `${BASE}/sach-123/canvas/${n}`,
    width: 2480,
    height: 3508,
    imageServiceId: `${BASE}/image/3/sach-123-${String(n).padStart(4, '0')}`,
    ...extra,
  };
}

const fullInput: ManifestInput = {
  id: `${BASE}/sach-123/manifest`,
  label: viEn('Truyện Kiều (bản Liễu Văn Đường, 1871)', 'The Tale of Kiều (Liễu Văn Đường edition, 1871)'),
  summary: viEn('Bản khắc gỗ chữ Nôm, 70 tờ.', 'Woodblock print in Nôm script, 70 folios.'),
  metadata: [
    { label: viEn('Tác giả', 'Author'), value: noLanguage('Nguyễn Du') },
    { label: viEn('Năm xuất bản', 'Date'), value: noLanguage(1871) },
    { label: viEn('Ngôn ngữ', 'Language'), value: viEn('Chữ Nôm', 'Nôm script') },
    { label: viEn('Ký hiệu xếp giá', 'Call number'), value: noLanguage('HN.1234') },
  ],
  rights: 'https://creativecommons.org/publicdomain/mark/1.0/deed.vi',
  requiredStatement: { label: viEn('Nguồn', 'Attribution'), value: viEn('Thư viện tỉnh Kiên Giang', 'Kiên Giang Provincial Library') },
  provider: [
    {
      id: 'https://thuvien.kiengiang.example.vn/',
      label: viEn('Thư viện tỉnh Kiên Giang', 'Kiên Giang Provincial Library'),
      homepage: [{ id: 'https://thuvien.kiengiang.example.vn/', label: viEn('Trang chủ', 'Home page'), format: 'text/html', language: ['vi'] }],
      logo: [{ id: 'https://thuvien.kiengiang.example.vn/logo.png', format: 'image/png', width: 200, height: 200 }],
    },
  ],
  homepage: [{ id: 'https://thuvien.kiengiang.example.vn/sach/123', label: viEn('Xem trong thư viện số', 'View in the digital library'), format: 'text/html' }],
  thumbnail: [{ id: `${BASE}/image/3/sach-123-0001/full/200,/0/default.jpg`, format: 'image/jpeg', serviceId: `${BASE}/image/3/sach-123-0001` }],
  seeAlso: [{ id: 'https://thuvien.kiengiang.example.vn/marc/123.xml', format: 'application/marcxml+xml', profile: 'http://www.loc.gov/MARC21/slim', label: viEn('Biểu ghi MARC', 'MARC record') }],
  rendering: [{ id: 'https://thuvien.kiengiang.example.vn/sach/123.pdf', label: viEn('Tải PDF', 'Download PDF'), format: 'application/pdf' }],
  behavior: ['paged'],
  viewingDirection: 'left-to-right',
  navDate: '1871-01-01T00:00:00Z',
  partOf: [{ id: `${BASE}/collection/han-nom`, label: viEn('Sách Hán Nôm', 'Hán Nôm books') }],
  service: [searchService(`${BASE}/sach-123/search`, `${BASE}/sach-123/autocomplete`)],
  start: `${BASE}/sach-123/canvas/2`,
  canvases: [
    page(1, { label: viEn('Bìa', 'Cover'), imageServiceProfile: 'level2' }),
    page(2, {
      thumbnailUrl: `${BASE}/image/3/sach-123-0002/full/200,/0/default.jpg`,
      seeAlso: [
        { id: `${BASE}/sach-123/ocr/2.hocr`, format: 'text/vnd.hocr+html', profile: 'http://kba.cloud/hocr-spec/1.2/', label: noLanguage('hOCR') },
        { id: `${BASE}/sach-123/ocr/2.alto.xml`, format: 'application/xml', profile: 'http://www.loc.gov/standards/alto/v4/alto.xsd', label: noLanguage('ALTO') },
      ],
      annotations: [`${BASE}/sach-123/text/2`],
    }),
    page(3, { imageFormat: 'image/webp' }),
  ],
};

describe('buildManifest', () => {
  it('a one-page manifest, exactly', () => {
    const manifest = buildManifest({ id: `${BASE}/sach-1/manifest`, label: viEn('Lục Vân Tiên'), canvases: [page(1)] });
    expect(manifest).toEqual({
      '@context': 'http://iiif.io/api/presentation/3/context.json',
      id: `${BASE}/sach-1/manifest`,
      type: 'Manifest',
      label: { vi: ['Lục Vân Tiên'] },
      items: [
        {
          id: `${BASE}/sach-123/canvas/1`,
          type: 'Canvas',
          label: { none: ['1'] },
          width: 2480,
          height: 3508,
          items: [
            {
              id: `${BASE}/sach-123/canvas/1/page/1`,
              type: 'AnnotationPage',
              items: [
                {
                  id: `${BASE}/sach-123/canvas/1/annotation/image`,
                  type: 'Annotation',
                  motivation: 'painting',
                  body: {
                    id: `${BASE}/image/3/sach-123-0001/full/max/0/default.jpg`,
                    type: 'Image',
                    format: 'image/jpeg',
                    width: 2480,
                    height: 3508,
                    service: [{ id: `${BASE}/image/3/sach-123-0001`, type: 'ImageService3', profile: 'level1' }],
                  },
                  target: `${BASE}/sach-123/canvas/1`,
                },
              ],
            },
          ],
        },
      ],
    });
    expectValid(manifest);
  });

  it('a manifest with every property passes the Presentation 3 schema', () => {
    const manifest = buildManifest(fullInput);
    expectValid(manifest);
    expect(manifest).toMatchObject({
      rights: 'http://creativecommons.org/publicdomain/mark/1.0/',
      start: { id: `${BASE}/sach-123/canvas/2`, type: 'Canvas' },
      service: [
        {
          id: `${BASE}/sach-123/search`,
          type: 'SearchService2',
          service: [{ id: `${BASE}/sach-123/autocomplete`, type: 'AutoCompleteService2' }],
        },
      ],
      provider: [{ type: 'Agent', homepage: [{ type: 'Text', language: ['vi'] }], logo: [{ type: 'Image' }] }],
      rendering: [{ type: 'Text', format: 'application/pdf', label: { vi: ['Tải PDF'], en: ['Download PDF'] } }],
      seeAlso: [{ type: 'Dataset', profile: 'http://www.loc.gov/MARC21/slim' }],
      partOf: [{ id: `${BASE}/collection/han-nom`, type: 'Collection' }],
      thumbnail: [{ service: [{ id: `${BASE}/image/3/sach-123-0001`, type: 'ImageService3', profile: 'level1' }] }],
    });
    const canvases = manifest.items as Record<string, unknown>[];
    expect(canvases[1]).toMatchObject({
      label: { none: ['2'] },
      thumbnail: [{ id: `${BASE}/image/3/sach-123-0002/full/200,/0/default.jpg`, type: 'Image', format: 'image/jpeg' }],
      seeAlso: [{ type: 'Dataset', format: 'text/vnd.hocr+html' }, { type: 'Dataset', format: 'application/xml' }],
      annotations: [{ id: `${BASE}/sach-123/text/2`, type: 'AnnotationPage' }],
    });
    expect(JSON.stringify(canvases[0])).toContain('"profile":"level2"');
    expect(JSON.stringify(canvases[2])).toContain('/full/max/0/default.webp","type":"Image","format":"image/webp"');
  });

  it('paints each canvas as the IIIF Cookbook book recipe does', () => {
    const cookbook = fixtureJson('0009-book-1__manifest.json') as { items: Record<string, unknown>[] };
    const p1 = cookbook.items[0] as { id: string; width: number; height: number; label: Record<string, string[]>; items: { items: { body: { service: { id: string }[] } }[] }[] };
    const built = buildManifest({
      id: 'https://iiif.io/api/cookbook/recipe/0009-book-1/manifest.json',
      label: { en: ['Simple Manifest - Book'] },
      behavior: ['paged'],
      canvases: [{ id: p1.id, label: p1.label, width: p1.width, height: p1.height, imageServiceId: p1.items[0]?.items[0]?.body.service[0]?.id ?? '' }],
    });
    // Only the ids of the AnnotationPage and Annotation, which the recipe names its own way, differ.
    const withoutInnerIds = (canvas: unknown) => JSON.parse(JSON.stringify(canvas).replace(/"id":"[^"]*\/(page|annotation)\/[^"]*"/g, '"id":"…"')) as unknown;
    expect(withoutInnerIds((built.items as unknown[])[0])).toEqual(withoutInnerIds(p1));
  });

  it.each([
    [{ id: 'urn:isbn:123' }, 'id: "urn:isbn:123" is not an http or https URI'],
    [{ id: 'not a uri' }, 'id: "not a uri" is not an absolute URI'],
    [{ rights: 'https://example.org/my-licence' }, 'rights: "https://example.org/my-licence" is neither a Creative Commons nor a RightsStatements.org URI'],
    [{ start: `${BASE}/sach-123/canvas/99` }, `start: ${BASE}/sach-123/canvas/99 is not one of the canvases`],
    [{ label: { vi: ['  '] } }, 'label: has no text in any language'],
    [{ label: { 'tiếng việt': ['x'] } }, 'label.tiếng việt: "tiếng việt" is not a BCP 47 language code'],
    [{ canvases: [page(1, { width: 0 })] }, 'canvases[0].width: 0 is not a positive whole number of pixels'],
    [{ canvases: [page(1, { height: 10.5 })] }, 'canvases[0].height: 10.5 is not a positive whole number of pixels'],
    [{ canvases: [page(1), page(1)] }, `canvases[1].id: ${BASE}/sach-123/canvas/1 is used by an earlier canvas`],
    [{ canvases: [page(1, { imageFormat: 'jpeg' })] }, 'canvases[0].imageFormat: "jpeg" is not an image MIME type'],
    [{ rendering: [{ id: 'https://x.example/a.pdf', format: 'application/pdf' }] }, 'rendering[0].label: is required: Presentation 3 says homepage and rendering resources MUST have a label'],
    [{ behavior: ['book' as 'paged'] }, 'behavior[0]: "book" is not a Presentation 3 behavior'],
    [{ navDate: '1871' }, 'navDate: "1871" is not an xsd:dateTime in UTC (e.g. 1820-01-01T00:00:00Z)'],
  ] as [Partial<ManifestInput>, string][])('refuses %j', (change, message) => {
    const input: ManifestInput = { id: `${BASE}/m`, label: viEn('Sách'), canvases: [page(1)], ...change };
    expect(() => buildManifest(input)).toThrow(IiifInputError);
    expect(() => buildManifest(input)).toThrow(message);
  });

  it('drops empty strings from language maps but keeps the rest', () => {
    const m = buildManifest({ id: `${BASE}/m`, label: { vi: ['Sách', ''], en: [''] }, canvases: [page(1)] });
    expect(m.label).toEqual({ vi: ['Sách'] });
  });
});

describe('rightsUri', () => {
  it.each([
    ['http://creativecommons.org/licenses/by/4.0/', 'http://creativecommons.org/licenses/by/4.0/'],
    ['https://creativecommons.org/licenses/by-sa/4.0/deed.vi', 'http://creativecommons.org/licenses/by-sa/4.0/'],
    ['https://creativecommons.org/licenses/by-nc/4.0/legalcode', 'http://creativecommons.org/licenses/by-nc/4.0/'],
    ['https://creativecommons.org/publicdomain/zero/1.0', 'http://creativecommons.org/publicdomain/zero/1.0/'],
    ['https://rightsstatements.org/page/InC/1.0/?language=en', 'http://rightsstatements.org/vocab/InC/1.0/'],
    ['http://rightsstatements.org/vocab/NoC-NC/1.0/', 'http://rightsstatements.org/vocab/NoC-NC/1.0/'],
  ])('%s → %s', (given, uri) => {
    expect(rightsUri(given)).toBe(uri);
    expectValid(buildManifest({ id: `${BASE}/m`, label: viEn('Sách'), rights: given, canvases: [page(1)] }));
  });
});

describe('buildCollection', () => {
  it('lists manifests and sub-collections by reference, and passes the schema', () => {
    const collection = buildCollection({
      id: `${BASE}/collection/han-nom`,
      label: viEn('Sách Hán Nôm', 'Hán Nôm books'),
      summary: viEn('Sách cổ chữ Hán và chữ Nôm của thư viện.'),
      rights: 'http://rightsstatements.org/vocab/NoC-OKLR/1.0/',
      behavior: ['multi-part'],
      items: [
        { type: 'Manifest', id: `${BASE}/sach-123/manifest`, label: viEn('Truyện Kiều'), thumbnail: [{ id: `${BASE}/image/3/sach-123-0001/full/200,/0/default.jpg`, format: 'image/jpeg' }] },
        { type: 'Collection', id: `${BASE}/collection/gia-pha`, label: viEn('Gia phả', 'Family registers') },
      ],
    });
    expectValid(collection);
    expect(collection).toEqual({
      '@context': 'http://iiif.io/api/presentation/3/context.json',
      id: `${BASE}/collection/han-nom`,
      type: 'Collection',
      label: { vi: ['Sách Hán Nôm'], en: ['Hán Nôm books'] },
      summary: { vi: ['Sách cổ chữ Hán và chữ Nôm của thư viện.'] },
      rights: 'http://rightsstatements.org/vocab/NoC-OKLR/1.0/',
      behavior: ['multi-part'],
      items: [
        {
          id: `${BASE}/sach-123/manifest`,
          type: 'Manifest',
          label: { vi: ['Truyện Kiều'] },
          thumbnail: [{ id: `${BASE}/image/3/sach-123-0001/full/200,/0/default.jpg`, type: 'Image', format: 'image/jpeg' }],
        },
        { id: `${BASE}/collection/gia-pha`, type: 'Collection', label: { vi: ['Gia phả'], en: ['Family registers'] } },
      ],
    });
  });

  it('an empty collection is still a valid document', () => {
    expectValid(buildCollection({ id: `${BASE}/collection/empty`, label: viEn('Trống', 'Empty'), items: [] }));
  });
});

describe('the schema itself (sanity)', () => {
  it.each(['full_example', 'collection'])('accepts the validator fixture %s', (name) => {
    expectValid(fixtureJson(`pv-fixtures-3/${name}.json`));
  });

  it.each(['broken_collection', 'broken_simple_image'])('rejects the validator fixture %s', (name) => {
    expect(validate(fixtureJson(`pv-fixtures-3/${name}.json`))).toBe(false);
  });
});
