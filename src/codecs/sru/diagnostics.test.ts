import { describe, expect, it } from 'vitest';
import { SRU_DIAGNOSTICS, diagnosticCodeOf, isSruDiagnosticCode, sruDiagnostic, type SruDiagnosticCode } from './diagnostics.js';

describe('SRU diagnostics', () => {
  it.each<[SruDiagnosticCode, string]>([
    [1, 'General system error'],
    [4, 'Unsupported operation'],
    [5, 'Unsupported version'],
    [6, 'Unsupported parameter value'],
    [7, 'Mandatory parameter not supplied'],
    [8, 'Unsupported parameter'],
    [10, 'Query syntax error'],
    [16, 'Unsupported index'],
    [19, 'Unsupported relation'],
    [20, 'Unsupported relation modifier'],
    [27, 'Empty term unsupported'],
    [28, 'Masking character not supported'],
    [29, 'Masked words too short'],
    [37, 'Unsupported boolean operator'],
    [40, 'Unsupported proximity relation'],
    [46, 'Unsupported boolean modifier'],
    [60, 'Result set not created: too many matching records'],
    [61, 'First record position out of range'],
    [64, 'Record temporarily unavailable'],
    [66, 'Unknown schema for retrieval'],
    [71, 'Unsupported record packing'],
    [72, 'XPath retrieval unsupported'],
    [80, 'Sort not supported'],
    [110, 'Stylesheets not supported'],
    [120, 'Response position out of range'],
    [121, 'Too many terms requested'],
  ])('%i is "%s" as the standard list says', (code, en) => {
    const d = sruDiagnostic(code, 'x');
    expect(d).toEqual({ code, uri: `info:srw/diagnostic/1/${code}`, details: 'x', message: { en, vi: expect.any(String) } });
  });

  it('has a Vietnamese message, in NFC, for every diagnostic', () => {
    for (const d of SRU_DIAGNOSTICS) {
      expect(d.vi.trim(), `diagnostic ${d.code}`).not.toBe('');
      expect(d.vi).toBe(d.vi.normalize('NFC'));
      expect(d.uri).toBe(`info:srw/diagnostic/1/${d.code}`);
    }
    expect(SRU_DIAGNOSTICS.map((d) => d.code)).toEqual([...SRU_DIAGNOSTICS.map((d) => d.code)].sort((a, b) => a - b));
  });

  it('leaves out empty details', () => {
    expect(sruDiagnostic(7)).not.toHaveProperty('details');
    expect(sruDiagnostic(7, '')).not.toHaveProperty('details');
  });

  it.each<[string, number | undefined]>([
    ['info:srw/diagnostic/1/7', 7],
    [' info:srw/diagnostic/1/120 ', 120],
    ['info:srw/diagnostic/12/7', undefined],
    ['info:srw/diagnostic/1/', undefined],
    ['http://example.org/diag/7', undefined],
  ])('diagnosticCodeOf(%j) is %s', (uri, code) => {
    expect(diagnosticCodeOf(uri)).toBe(code);
  });

  it('knows which numbers are in the list', () => {
    expect(isSruDiagnosticCode(66)).toBe(true);
    expect(isSruDiagnosticCode(11)).toBe(false); // deprecated in the standard
    expect(isSruDiagnosticCode(999)).toBe(false);
  });
});
