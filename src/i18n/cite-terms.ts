/**
 * The words citation styles put around the data (`et al.`, `Trans.`, `PhD diss.`), from the
 * message catalogue in the reader's language, in the shape `cite()` takes.
 */
import type { CiteTerms } from '../domain/catalog/cite.js';
import type { DegreeLevel } from '../codecs/citation/entry.js';
import type { MessageKey, Translate } from './i18n.js';

const LEVELS: readonly DegreeLevel[] = ['doctoral', 'masters', 'bachelors', 'other'];

export function citeTerms(t: Translate): CiteTerms {
  const degrees = (prefix: string) => Object.fromEntries(LEVELS.map((l) => [l, t(`${prefix}.${l}` as MessageKey)])) as Record<DegreeLevel, string>;
  return {
    and: t('cite.term.and'),
    etAl: t('cite.term.etAl'),
    noDate: t('cite.term.noDate'),
    apaEditor: t('cite.term.apaEditor'),
    apaEditors: t('cite.term.apaEditors'),
    apaTranslator: t('cite.term.apaTranslator'),
    editor: t('cite.term.editor'),
    editors: t('cite.term.editors'),
    ed: t('cite.term.ed'),
    eds: t('cite.term.eds'),
    translatedBy: t('cite.term.translatedBy'),
    availableFrom: t('cite.term.availableFrom'),
    online: t('cite.term.online'),
    unpublished: t('cite.term.unpublished'),
    thesisApa: degrees('cite.term.thesis'),
    thesisMla: degrees('cite.term.mla'),
    thesisChicago: degrees('cite.term.chicago'),
  };
}
