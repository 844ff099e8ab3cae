/** Components shared by public and staff pages. */
import type { ComponentChildren } from 'preact';
import type { TreeNode } from '../../domain/org/history.js';
import type { UnitHistoryEntry } from '../../app/org.service.js';
import type { OrgUnit } from '../../domain/org/unit.js';
import type { MessageKey } from '../../i18n/i18n.js';
import { formatDate, unitName, type PageCtx } from './render.js';

const SLOT = '\u0001';

/** A translated message with an element (a link, say) in the place of one placeholder. */
export function Message({ ctx, k, slot, children }: { ctx: PageCtx; k: MessageKey; slot: string; children: ComponentChildren }) {
  const [before = '', after = ''] = ctx.t(k, { [slot]: SLOT }).split(SLOT);
  return (
    <>
      {before}
      {children}
      {after}
    </>
  );
}

function UnitRef({ ctx, units, id, staff }: { ctx: PageCtx; units: ReadonlyMap<number, OrgUnit>; id: unknown; staff: boolean }) {
  const u = typeof id === 'number' ? units.get(id) : undefined;
  if (!u) return <>{String(id)}</>;
  return <a href={staff ? `/staff/org/${u.id}` : `/l/${u.slug}`}>{unitName(ctx, u)}</a>;
}

/** A unit's reorganisation history as a dated list. */
export function HistoryList({ ctx, history, units, staff = false }: { ctx: PageCtx; history: readonly UnitHistoryEntry[]; units: ReadonlyMap<number, OrgUnit>; staff?: boolean }) {
  const { t } = ctx;
  const name = (d: Record<string, unknown>) => String((ctx.locale === 'en' ? d.nameEn : d.nameVi) ?? d.nameVi ?? '');
  const describe = (e: UnitHistoryEntry) => {
    if (e.about === 'merged-in')
      return (
        <Message ctx={ctx} k="event.mergedIn" slot="source">
          <UnitRef ctx={ctx} units={units} id={e.unitId} staff={staff} />
        </Message>
      );
    switch (e.kind) {
      case 'create':
        return t('event.create', { name: name(e.data) });
      case 'rename':
        return t('event.rename', { name: name(e.data) });
      case 'move':
        return (
          <Message ctx={ctx} k="event.move" slot="parent">
            <UnitRef ctx={ctx} units={units} id={e.data.parentId} staff={staff} />
          </Message>
        );
      case 'merge':
        return (
          <Message ctx={ctx} k="event.merge" slot="target">
            <UnitRef ctx={ctx} units={units} id={e.data.intoId} staff={staff} />
          </Message>
        );
      case 'close':
        return t('event.close');
    }
  };
  return (
    <ol class="history">
      {history.map((e) => (
        <li>
          <time dateTime={e.effectiveDate}>{formatDate(ctx, e.effectiveDate)}</time>
          <span>
            {describe(e)}
            {e.note ? <span class="note">{e.note}</span> : null}
          </span>
        </li>
      ))}
    </ol>
  );
}

/**
 * A tree of units as nested lists; branches fold with <details> (open for the top levels), so it
 * needs no JavaScript. `label` renders one unit's line. The line stays outside the <summary>,
 * which is only the fold button, named by the line: a link inside the button would be a control
 * inside a control, which assistive technologies cannot reach (WCAG 4.1.2). `id` prefixes the
 * element ids: two trees on one page need different ones.
 */
export function UnitTree<T>({ nodes, label, depth = 0, id = 'tree' }: { nodes: readonly TreeNode<T>[]; label: (unit: T) => ComponentChildren; depth?: number; id?: string }) {
  return (
    <ul class={depth === 0 ? 'tree' : undefined}>
      {nodes.map((n, i) => {
        const lineId = `${id}-${i}`;
        if (n.children.length === 0)
          return (
            <li class="leaf">
              <span class="node">{label(n.unit)}</span>
            </li>
          );
        return (
          <li class="branch">
            <span class="node" id={lineId}>
              {label(n.unit)} <span class="muted small">({n.children.length})</span>
            </span>
            <details open={depth < 2}>
              <summary aria-labelledby={lineId} />
              <UnitTree nodes={n.children} label={label} depth={depth + 1} id={lineId} />
            </details>
          </li>
        );
      })}
    </ul>
  );
}
