/**
 * `lienthong user …`: staff accounts and their grants, from the server's console. Everything runs
 * as the system actor labelled `cli`, through the same use cases as the staff pages, so it is
 * checked and audited the same way.
 */
import { Option, type Command } from 'commander';
import { systemActor } from '../app/actor.js';
import type { Scope } from '../domain/access/permissions.js';
import { SCOPES } from '../domain/access/permissions.js';
import { AppError } from '../domain/errors.js';
import type { OrgUnit } from '../domain/org/unit.js';
import type { Container } from '../main/container.js';
import { CliError, contextFor, type CliContext, type CliDeps } from './context.js';
import { formatTable } from './table.js';

const actor = () => systemActor('cli');

/** The unit with a code, refusing a closed one where something new is to be placed. */
async function unitByCode(c: Container, code: string, mustBeOpen: boolean): Promise<OrgUnit> {
  const unit = await c.services.org.getByCode(code);
  if (mustBeOpen && unit.status !== 'active') throw new AppError('ORG_UNIT_CLOSED', { unit: unit.code, date: unit.endedOn ?? '' });
  return unit;
}

async function rootUnit(c: Container, ctx: CliContext): Promise<OrgUnit> {
  const root = (await c.services.org.list()).find((u) => u.parentId === null);
  if (!root) throw new CliError(ctx.say('user.noRoot'));
  return root;
}

async function roleExists(c: Container, code: string): Promise<void> {
  if (!(await c.services.staff.roles()).some((r) => r.code === code)) throw new AppError('STAFF_ROLE_NOT_FOUND', { role: code });
}

/** Everything on standard input, less one final line break (as `echo` and here-documents add). */
async function readPasswordFromStdin(ctx: CliContext): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (text === '') throw new CliError(ctx.say('user.passwordEmpty'), 2);
  return text;
}

const scopeOption = (required: boolean) => {
  const o = new Option('--scope <scope>', 'how far the role reaches: the unit only, the unit and everything under it, or the whole network').choices(SCOPES);
  return required ? o.makeOptionMandatory() : o;
};

interface CreateOptions {
  name: string;
  unit?: string;
  role?: string;
  scope?: Scope;
  email?: string;
  admin?: boolean;
  passwordStdin?: boolean;
}

export function registerUser(program: Command, deps: CliDeps): void {
  const user = program
    .command('user')
    .summary('staff accounts and their grants')
    .description('Manage staff accounts and their grants (audited as `cli`).')
    .addHelpText(
      'after',
      `
Examples:
  $ lienthong user create admin2 --name "Quản trị 2" --admin
  $ lienthong user create lan --name "Nguyễn Thị Lan" --unit TVKG --role librarian --scope unit
  $ lienthong user list --unit TVKG
  $ lienthong user reset-password lan`,
    );

  user
    .command('create')
    .summary('create a staff account')
    .description('Create a staff account at a home unit, optionally with one role. The password is read from standard input with --password-stdin, otherwise generated and printed once on stdout.')
    .argument('<username>', '3–50 lower-case letters without marks, digits, dots, dashes')
    .requiredOption('--name <display name>', 'the person’s full name, as staff see it')
    .option('--unit <unit code>', 'home unit (required unless --admin, which defaults it to the network root)')
    .option('--role <role code>', 'grant this role at the home unit: network_admin, library_admin, librarian, auditor')
    .addOption(scopeOption(false))
    .option('--email <email>', 'e-mail address')
    .option('--admin', 'a network administrator: role network_admin with scope network at the root unit')
    .option('--password-stdin', 'read the password from standard input instead of generating one')
    .addHelpText(
      'after',
      `
Examples:
  $ lienthong user create lan --name "Nguyễn Thị Lan" --unit TVKG --role librarian --scope unit
  $ lienthong user create binh --name "Trần Văn Bình" --unit RG --role library_admin --scope subtree --email binh@example.vn
  $ lienthong user create quantri --name "Quản trị mạng lưới" --admin
  $ printf '%s' "$PASSWORD" | lienthong user create lan --name "Nguyễn Thị Lan" --unit TVKG --password-stdin

--scope defaults to unit when --role is given.`,
    )
    .action(async (username: string, opts: CreateOptions, cmd: Command) => {
      const ctx = contextFor(cmd, deps);
      if (opts.admin && (opts.role !== undefined || opts.scope !== undefined)) throw new CliError(ctx.say('user.adminWithRole'), 2);
      if (opts.scope !== undefined && opts.role === undefined) throw new CliError(ctx.say('user.scopeWithoutRole'), 2);
      if (!opts.admin && opts.unit === undefined) throw new CliError(ctx.say('user.unitRequired'), 2);
      const password = opts.passwordStdin ? await readPasswordFromStdin(ctx) : undefined;
      await ctx.withContainer(async (c) => {
        const root = opts.admin ? await rootUnit(c, ctx) : undefined;
        const home = opts.unit !== undefined ? await unitByCode(c, opts.unit, true) : root!;
        const grant = opts.admin
          ? { role: 'network_admin', unit: root!, scope: 'network' as Scope }
          : opts.role !== undefined
            ? { role: opts.role, unit: home, scope: opts.scope ?? 'unit' }
            : undefined;
        // Checked before the account exists, so a wrong role does not leave an account without it.
        if (grant) await roleExists(c, grant.role);
        const created = await c.services.staff.create(actor(), { username, displayName: opts.name, email: opts.email, homeUnitId: home.id, password });
        ctx.note(ctx.say('user.created', { username: created.user.username, name: created.user.displayName, unit: home.code }));
        if (grant) {
          await c.services.staff.grant(actor(), { userId: created.user.id, roleCode: grant.role, unitId: grant.unit.id, scope: grant.scope });
          ctx.note(ctx.say('user.createdGrant', { role: grant.role, unit: grant.unit.code, scope: grant.scope }));
        }
        if (created.password !== null) {
          ctx.note(ctx.say('user.passwordOnce', { username: created.user.username }));
          ctx.out(created.password);
        }
      });
    });

  user
    .command('list')
    .summary('list staff accounts')
    .description('List staff accounts with their home unit, status and grants.')
    .option('--unit <unit code>', 'only accounts whose home unit is this unit or below it')
    .addHelpText(
      'after',
      `
Examples:
  $ lienthong user list
  $ lienthong user list --unit TVKG`,
    )
    .action(async (opts: { unit?: string }, cmd: Command) => {
      const ctx = contextFor(cmd, deps);
      await ctx.withContainer(async (c) => {
        const units = new Map((await c.services.org.list()).map((u) => [u.id, u]));
        const under = opts.unit === undefined ? undefined : await unitByCode(c, opts.unit, false);
        const users = (await c.services.staff.list(actor())).filter((u) => {
          if (!under) return true;
          const home = u.homeUnitId === null ? undefined : units.get(u.homeUnitId);
          return home !== undefined && home.path.includes(`/${under.id}/`);
        });
        if (users.length === 0) {
          ctx.note(ctx.say('user.none'));
          return;
        }
        const rows: string[][] = [];
        for (const u of users.sort((a, b) => a.username.localeCompare(b.username))) {
          const { grants } = await c.services.staff.get(actor(), u.id);
          rows.push([
            u.username,
            u.displayName,
            u.homeUnitId === null ? '' : (units.get(u.homeUnitId)?.code ?? String(u.homeUnitId)),
            u.status,
            u.lastLoginAt ? u.lastLoginAt.slice(0, 16).replace('T', ' ') : '-',
            grants.map((g) => `${g.roleCode}@${g.unitCode}/${g.scope}`).join(', '),
          ]);
        }
        const s = ctx.say;
        const header = [s('user.col.username'), s('user.col.name'), s('user.col.unit'), s('user.col.status'), s('user.col.lastLogin'), s('user.col.grants')];
        for (const line of formatTable(header, rows)) ctx.out(line);
      });
    });

  for (const status of ['disabled', 'active'] as const) {
    const name = status === 'disabled' ? 'disable' : 'enable';
    user
      .command(name)
      .summary(status === 'disabled' ? 'disable an account' : 'enable an account')
      .description(status === 'disabled' ? 'Disable an account: it can no longer sign in, and its sessions end at once.' : 'Enable a disabled account again.')
      .argument('<username>')
      .addHelpText('after', `\nExamples:\n  $ lienthong user ${name} lan`)
      .action(async (username: string, _opts: unknown, cmd: Command) => {
        const ctx = contextFor(cmd, deps);
        await ctx.withContainer(async (c) => {
          const u = await c.services.staff.getByUsername(username.trim().toLowerCase());
          await c.services.staff.setStatus(actor(), u.id, status);
          ctx.note(ctx.say(status === 'disabled' ? 'user.disabled' : 'user.enabled', { username: u.username }));
        });
      });
  }

  user
    .command('grant')
    .summary('grant a role at a unit')
    .description('Grant a role to an account at a unit, reaching the unit only, its subtree or the whole network.')
    .argument('<username>')
    .requiredOption('--role <role code>', 'network_admin, library_admin, librarian, auditor, or a custom role')
    .requiredOption('--unit <unit code>', 'where the role is granted')
    .addOption(scopeOption(true))
    .addHelpText(
      'after',
      `
Examples:
  $ lienthong user grant lan --role librarian --unit TVKG-TN --scope unit
  $ lienthong user grant binh --role library_admin --unit RG --scope subtree`,
    )
    .action(async (username: string, opts: { role: string; unit: string; scope: Scope }, cmd: Command) => {
      const ctx = contextFor(cmd, deps);
      await ctx.withContainer(async (c) => {
        const u = await c.services.staff.getByUsername(username.trim().toLowerCase());
        const unit = await unitByCode(c, opts.unit, false);
        await c.services.staff.grant(actor(), { userId: u.id, roleCode: opts.role, unitId: unit.id, scope: opts.scope });
        ctx.note(ctx.say('user.granted', { role: opts.role, username: u.username, unit: unit.code, scope: opts.scope }));
      });
    });

  user
    .command('revoke')
    .summary('revoke a role at a unit')
    .description('Revoke a role an account holds at a unit; without --scope, every grant of that role at that unit.')
    .argument('<username>')
    .requiredOption('--role <role code>', 'the role to take away')
    .requiredOption('--unit <unit code>', 'the unit it was granted at')
    .addOption(scopeOption(false))
    .addHelpText(
      'after',
      `
Examples:
  $ lienthong user revoke lan --role librarian --unit TVKG-TN
  $ lienthong user revoke binh --role library_admin --unit RG --scope subtree`,
    )
    .action(async (username: string, opts: { role: string; unit: string; scope?: Scope }, cmd: Command) => {
      const ctx = contextFor(cmd, deps);
      await ctx.withContainer(async (c) => {
        const u = await c.services.staff.getByUsername(username.trim().toLowerCase());
        const unit = await unitByCode(c, opts.unit, false);
        const { grants } = await c.services.staff.get(actor(), u.id);
        const matching = grants.filter((g) => g.roleCode === opts.role && g.unitId === unit.id && (opts.scope === undefined || g.scope === opts.scope));
        if (matching.length === 0) {
          const scopeText = opts.scope === undefined ? '' : ` (${opts.scope})`;
          throw new CliError(ctx.say('user.noSuchGrant', { username: u.username, role: opts.role, unit: unit.code, scopeText }));
        }
        for (const g of matching) {
          await c.services.staff.revoke(actor(), g.id);
          ctx.note(ctx.say('user.revoked', { role: g.roleCode, username: u.username, unit: g.unitCode, scope: g.scope }));
        }
      });
    });

  user
    .command('reset-password')
    .summary('set a new random password')
    .description('Give an account a new random password, printed once on stdout; its sessions end.')
    .argument('<username>')
    .addHelpText('after', `\nExamples:\n  $ lienthong user reset-password lan`)
    .action(async (username: string, _opts: unknown, cmd: Command) => {
      const ctx = contextFor(cmd, deps);
      await ctx.withContainer(async (c) => {
        const u = await c.services.staff.getByUsername(username.trim().toLowerCase());
        const password = await c.services.staff.resetPassword(actor(), u.id);
        ctx.note(ctx.say('user.passwordOnce', { username: u.username }));
        ctx.out(password);
      });
    });
}
