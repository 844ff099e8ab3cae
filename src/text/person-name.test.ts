import { describe, expect, it } from 'vitest';
import { directName, initials, invertedName, parsePersonName } from './person-name.js';

describe('personal names', () => {
  it.each([
    // Vietnamese, inverted as the Library of Congress writes them, or direct: one form.
    ['Nguyễn, Du', { family: 'Nguyễn', given: 'Du', vietnamese: true, direct: false }, 'Nguyễn Du'],
    ['Nguyễn Du', { family: 'Nguyễn', given: 'Du', vietnamese: true, direct: true }, 'Nguyễn Du'],
    ['Nguyễn, Thị Minh Khai', { family: 'Nguyễn', given: 'Thị Minh Khai', vietnamese: true }, 'Nguyễn Thị Minh Khai'],
    ['Hồ, Chí Minh,', { family: 'Hồ', given: 'Chí Minh', vietnamese: true }, 'Hồ Chí Minh'],
    ['Đào, Duy Anh', { family: 'Đào', given: 'Duy Anh', vietnamese: true }, 'Đào Duy Anh'],
    // Without marks, only the unmistakable family names count.
    ['Nguyen, Van Anh', { vietnamese: true }, 'Nguyen Van Anh'],
    ['Le, Thanh', { vietnamese: false }, 'Thanh Le'],
    ['Lê, Thanh', { vietnamese: true }, 'Lê Thanh'],
    // Western names, and romanisations whose marks are not Vietnamese.
    ['Smith, John R.', { family: 'Smith', given: 'John R.', vietnamese: false }, 'John R. Smith'],
    ['Gates, Bill, III', { family: 'Gates', given: 'Bill', suffix: 'III' }, 'Bill Gates III'],
    ['Brocheux, Pierre', { vietnamese: false }, 'Pierre Brocheux'],
    ['Ḥusayn, Ṭāhā', { vietnamese: false }, 'Ṭāhā Ḥusayn'],
    ['Ştefănescu, Ion', { vietnamese: false }, 'Ion Ştefănescu'],
    // Written directly and not Vietnamese: as written.
    ['Homer', { family: 'Homer', given: '', direct: true, vietnamese: false }, 'Homer'],
    ['Bao Ninh', { direct: true, vietnamese: false }, 'Bao Ninh'],
  ] as const)('%s', (raw, want, direct) => {
    const p = parsePersonName(raw);
    expect(p).toMatchObject(want);
    expect(directName(p)).toBe(direct);
  });

  it('inverts only Western names', () => {
    expect(invertedName(parsePersonName('Smith, John, Jr.'))).toBe('Smith, John, Jr.');
    expect(invertedName(parsePersonName('Nguyễn, Du'))).toBe('Nguyễn Du');
  });

  it.each([
    ['John Ronald', 'J. R.'],
    ['Jean-Paul', 'J.-P.'],
    ['J.R.', 'J. R.'],
    ['Ludwig van', 'L.'],
    ['', ''],
  ])('cuts "%s" to "%s"', (given, want) => {
    expect(initials(given)).toBe(want);
  });
});
