import { describe, expect, it } from 'vitest';
import {
  cloneRecord,
  controlValue,
  firstSubfield,
  getDataFields,
  getField,
  getFields,
  isControlField,
  isControlTag,
  isDataField,
  subfieldValues,
  type DataField,
  type MarcRecord,
} from './record.js';

const record: MarcRecord = {
  leader: '00000nam a2200000 i 4500',
  fields: [
    { tag: '001', value: 'VN-1' },
    { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Truyện Kiều /' }, { code: 'c', value: 'Nguyễn Du.' }] },
    { tag: '650', ind1: ' ', ind2: '7', subfields: [{ code: 'a', value: 'Thơ Việt Nam' }, { code: 'y', value: 'Thế kỷ 18' }] },
    { tag: '651', ind1: ' ', ind2: '7', subfields: [{ code: 'a', value: 'Việt Nam' }, { code: 'x', value: 'Lịch sử' }, { code: 'x', value: 'Văn học' }] },
  ],
};

describe('record helpers', () => {
  it('find fields by tag, in record order', () => {
    expect(getFields(record, '651', '650').map((f) => f.tag)).toEqual(['650', '651']);
    expect(getFields(record)).toHaveLength(4);
    expect(getDataFields(record).map((f) => f.tag)).toEqual(['245', '650', '651']);
    expect(getField(record, '245')?.tag).toBe('245');
    expect(getField(record, '999')).toBeUndefined();
  });

  it('read values without throwing on what is missing', () => {
    expect(controlValue(record, '001')).toBe('VN-1');
    expect(controlValue(record, '005')).toBeUndefined();
    expect(firstSubfield(record, '245', 'a')).toBe('Truyện Kiều /');
    expect(firstSubfield(record, '245', 'z')).toBeUndefined();
    expect(firstSubfield(record, '001', 'a')).toBeUndefined();
    expect(subfieldValues(getField(record, '651') as DataField, 'x')).toEqual(['Lịch sử', 'Văn học']);
    expect(subfieldValues(getField(record, '651') as DataField)).toEqual(['Việt Nam', 'Lịch sử', 'Văn học']);
  });

  it('tell control fields from data fields', () => {
    expect(record.fields.map((f) => (isControlField(f) ? 'c' : isDataField(f) ? 'd' : '?'))).toEqual(['c', 'd', 'd', 'd']);
    expect(['001', '009', '00A', '010', '245', 'FMT', '0'].map(isControlTag)).toEqual([true, true, true, false, false, false, false]);
  });

  it('copy a record deeply', () => {
    const copy = cloneRecord(record);
    expect(copy).toEqual(record);
    (copy.fields[1] as DataField).subfields[0]!.value = 'changed';
    expect(firstSubfield(record, '245', 'a')).toBe('Truyện Kiều /');
  });
});
