/**
 * Who may see what of a digital object. One decision, used the same way by tiles, manifests,
 * page text, downloads, search snippets and the API, so no route can be more generous than
 * another.
 */
import type { AccessLevel } from './object.js';
import { ipInRanges, type IpRange } from './ip-range.js';

export interface ObjectRights {
  access: AccessLevel;
  /** Until this date (YYYY-MM-DD, inclusive) only staff see the object. */
  embargoUntil: string | null;
  /** Published objects only are shown outside the staff pages. */
  published: boolean;
  /** Whether readers who may view may also download the files. */
  downloadable: boolean;
  /** Whether derived images carry a visible watermark when the object is not public. */
  watermark: boolean;
}

export interface Viewer {
  /** Staff whose grants reach the object's owning library (decided by the caller against the tree). */
  staff: boolean;
  /** A signed-in reader (or any staff member). */
  registered: boolean;
  /** The request's address lies in an on-site range of the owning library or a unit under it. */
  onsite: boolean;
}

export type Denial = 'unpublished' | 'embargo' | 'login' | 'onsite' | 'staff';

export interface AccessDecision {
  view: boolean;
  download: boolean;
  /** Why not, when `view` is false. */
  reason?: Denial;
  /** Draw the watermark on derived images. */
  watermark: boolean;
  /** Page text may appear in search snippets for this viewer. */
  snippets: boolean;
}

export function decideAccess(r: ObjectRights, v: Viewer, today: string): AccessDecision {
  const deny = (reason: Denial): AccessDecision => ({ view: false, download: false, reason, watermark: false, snippets: false });
  if (!v.staff) {
    if (!r.published) return deny('unpublished');
    if (r.embargoUntil && today <= r.embargoUntil) return deny('embargo');
    if (r.access === 'staff') return deny('staff');
    if (r.access === 'registered' && !v.registered) return deny('login');
    if (r.access === 'onsite' && !v.onsite) return deny('onsite');
  }
  return { view: true, download: r.downloadable || v.staff, watermark: r.watermark && r.access !== 'public', snippets: true };
}

/**
 * Whether an object's page text may go into the shared search index at all. Text of objects that
 * only staff may read (unpublished, embargoed, staff-only) stays out, so a match cannot even hint
 * at what they say; the text of registered and on-site objects is indexed and its snippets are
 * shown only to viewers who may read it.
 */
export function indexable(r: ObjectRights, today: string): boolean {
  return r.published && r.access !== 'staff' && !(r.embargoUntil && today <= r.embargoUntil);
}

export function isOnsite(ip: string, ranges: readonly IpRange[]): boolean {
  return ipInRanges(ip, ranges);
}
