/** Library groups: sets of units across the tree (all school libraries, the island libraries…). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../../domain/errors.js';
import { allowsAnywhere } from '../../../domain/access/permissions.js';
import type { Services } from '../../../main/container.js';
import { compareVi } from '../../../text/fold.js';
import { Csrf, Layout, flashFromQuery, pageCtx, sendPage, unitName } from '../render.js';
import { Field, FormError, Section, asFormError, formValues, requireUser, type Values } from './forms.js';

export async function groupPages(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { org } = opts.services;

  const page = async (req: FastifyRequest, values: Values = {}, error?: AppError) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const groups = await org.listGroups();
    const members = await Promise.all(groups.map((g) => org.groupMembers(g.code)));
    const canManage = allowsAnywhere(req.ctx.actor.grants, 'org.group.manage');
    return (
      <Layout ctx={ctx} title={t('staff.nav.groups')} staff flash={flashFromQuery(ctx, req.query)}>
        <h1>{t('staff.nav.groups')}</h1>
        <p class="muted">{t('groups.help')}</p>
        <div class="grid halves">
          {groups.map((g, i) => (
            <Section title={ctx.locale === 'en' ? g.nameEn : g.nameVi} id={`group-${g.code}`}>
              <p class="muted small">
                <code>{g.code}</code> · {t('portal.members', { count: g.memberCount })}
              </p>
              {g.description ? <p>{g.description}</p> : null}
              <ul>
                {members[i]!
                  .sort((a, b) => compareVi(unitName(ctx, a), unitName(ctx, b)))
                  .map((u) => (
                    <li>
                      <a href={`/staff/org/${u.id}`}>{unitName(ctx, u)}</a> {u.status !== 'active' ? <span class={`badge badge-${u.status}`}>{t(`status.${u.status}`)}</span> : null}
                    </li>
                  ))}
              </ul>
            </Section>
          ))}
        </div>
        {canManage ? (
          <Section title={t('groups.new')} id="new-group">
            <FormError ctx={ctx} error={error} shownFields={['code', 'nameVi', 'nameEn']} />
            <form method="post" action="/staff/groups" class="stack">
              <Csrf ctx={ctx} />
              <Field ctx={ctx} name="code" label={t('unit.code')} values={values} problems={error?.details} required maxLength={32} />
              <Field ctx={ctx} name="nameVi" label={t('unit.nameVi')} values={values} problems={error?.details} required maxLength={200} />
              <Field ctx={ctx} name="nameEn" label={t('unit.nameEn')} values={values} problems={error?.details} maxLength={200} />
              <Field ctx={ctx} name="description" label={t('groups.description')} values={values} maxLength={1000} />
              <p class="muted small">{t('groups.membersHelp')}</p>
              <div>
                <button type="submit">{t('unit.save')}</button>
              </div>
            </form>
          </Section>
        ) : null}
      </Layout>
    );
  };

  app.get('/groups', async (req, reply) => {
    requireUser(req);
    if (!allowsAnywhere(req.ctx.actor.grants, 'org.unit.view')) throw new AppError('PERMISSION_DENIED', { permission: 'org.unit.view' });
    return sendPage(reply, await page(req));
  });

  app.post('/groups', async (req, reply) => {
    requireUser(req);
    const v = formValues(req);
    try {
      await org.createGroup(req.ctx.actor, { code: v.code, nameVi: v.nameVi, nameEn: v.nameEn, description: v.description });
    } catch (e) {
      const err = asFormError(e);
      return sendPage(reply, await page(req, v, err), err.status);
    }
    return reply.redirect('/staff/groups?ok=groups.created', 303);
  });
}
