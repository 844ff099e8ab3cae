/**
 * One work as citation formats need it: the common input of the RIS and BibTeX writers here and
 * of the citation styles (`src/domain/catalog/cite.ts`). Built from a catalogue record by
 * `citationEntry` in the domain; nothing here knows MARC.
 */
import type { PersonName } from '../../text/person-name.js';

/** What kind of work, as reference managers divide them. */
export type EntryType = 'book' | 'thesis' | 'article' | 'serial' | 'map' | 'score' | 'sound' | 'video' | 'image' | 'software' | 'manuscript' | 'report' | 'other';

/** A person (parsed, see `parsePersonName`) or an organisation or meeting (a name used whole). */
export type Agent = { kind: 'person'; name: PersonName } | { kind: 'organization'; name: string };

export type DegreeLevel = 'doctoral' | 'masters' | 'bachelors' | 'other';

export interface CitationEntry {
  /** A stable identifier of the work here (the catalogue record number). */
  id: string;
  type: EntryType;
  /** Online or otherwise electronic. */
  electronic: boolean;
  /** The title proper, with part numbers and names (`Lịch sử Việt Nam. Tập 1`). */
  title: string;
  /** Other title information (245 $b), without parallel titles. */
  subtitle?: string;
  authors: Agent[];
  editors: Agent[];
  translators: Agent[];
  /** A four-digit year. */
  year?: number;
  edition?: string;
  /** In the order given; the first is the one most styles name. */
  publishers: string[];
  place?: string;
  series?: { title: string; volume?: string };
  /** ISBN-13 where known, else as catalogued. */
  isbns: string[];
  issns: string[];
  /** MARC language codes (ISO 639-2/B), lower case: `vie`, `eng`. */
  languages: string[];
  keywords: string[];
  abstract?: string;
  /** A DOI without resolver: `10.1000/182`. */
  doi?: string;
  /** The online resource itself, when there is one. */
  url?: string;
  /** The work's page in this catalogue. */
  landingUrl?: string;
  thesis?: { level: DegreeLevel; /** As written: `Luận văn thạc sĩ Văn hoá học`. */ type?: string; institution?: string };
  callNumber?: string;
  /** Number of pages, when the extent says it plainly. */
  pages?: number;
}
