import { describe, expect, it } from 'vitest';
import { classOutline, compareBbk, ddcDivisions } from './classes.js';

describe('the class outline', () => {
  it('has every DDC class and division, zero where nothing is classed', () => {
    const o = classOutline(new Map([['ddc:800', 5], ['ddc:89x', 4], ['ddc:80x', 1], ['ddc:900', 2], ['bbk:63', 3], ['bbk:Ш', 1], ['bbk:9', 2], ['bbk:V', 1], ['bbk:22', 0]]));
    expect(o.ddc.map((c) => c.code)).toEqual(['000', '100', '200', '300', '400', '500', '600', '700', '800', '900']);
    const lit = o.ddc[8]!;
    expect(lit).toMatchObject({ code: '800', value: 'ddc:800', count: 5 });
    expect(lit.divisions.map((d) => `${d.code}=${d.count}`)).toEqual(['80x=1', '81x=0', '82x=0', '83x=0', '84x=0', '85x=0', '86x=0', '87x=0', '88x=0', '89x=4']);
    expect(o.ddc[0]!.count).toBe(0);
    // BBK: classes in use only; numbers by value, then letters (Latin before Cyrillic).
    expect(o.bbk.map((b) => `${b.value}=${b.count}`)).toEqual(['bbk:9=2', 'bbk:63=3', 'bbk:V=1', 'bbk:Ш=1']);
  });

  it('names the divisions of a class', () => {
    expect(ddcDivisions('000')[0]).toBe('00x');
    expect(ddcDivisions('900')).toHaveLength(10);
  });

  it.each<[string, string, number]>([
    ['2', '22', -1],
    ['22', '3', 1],
    ['63', 'A', -1],
    ['Я', 'А', 1],
  ])('compareBbk(%j, %j) has the sign of %d', (a, b, sign) => {
    expect(Math.sign(compareBbk(a, b))).toBe(sign);
  });
});
