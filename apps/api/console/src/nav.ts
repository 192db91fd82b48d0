import { adminHash, EMPTY_AUDIT_FILTER, pagesFor, parseAdminRoute } from './admin-routes.ts';
import type { AdminPage, AdminRoute } from './admin-routes.ts';
import { renderAllowlist, renderProtected } from './allowlist-view.ts';
import { renderAudit } from './audit-view.ts';
import { h } from './dom.ts';
import { t } from './i18n.ts';
import type { MessageKey } from './i18n.ts';
import { renderReporters } from './reporters-view.ts';
import { renderRule, renderRules } from './rules-view.ts';
import type { Screen } from './screen.ts';
import { renderTokens } from './tokens-view.ts';

/**
 * The bar of the team's pages under the header: only the pages the signed-in role may use (the
 * API answers 403 to the others, so a link to them would be noise), the current one marked.
 */

const NAMES: Readonly<Record<AdminPage, MessageKey>> = {
  rules: 'adm.nav.rules',
  allowlist: 'adm.nav.allowlist',
  protected: 'adm.nav.protected',
  reporters: 'adm.nav.reporters',
  tokens: 'adm.nav.tokens',
  audit: 'adm.nav.audit',
};

/** Where each page opens: its first page, no filter. */
export function pageStartRoute(page: AdminPage): AdminRoute {
  switch (page) {
    case 'allowlist':
    case 'protected':
      return { page, cursor: null };
    case 'reporters':
      return { page, standing: 'suspicious', cursor: null };
    case 'audit':
      return { page, filter: EMPTY_AUDIT_FILTER, cursor: null };
    default:
      return { page };
  }
}

/** The nav bar for `permissions`, with `queueHash` for the way back to the queue; null for a role with no page here. */
export function pagesNav(
  permissions: readonly string[],
  queueHash: string,
  hash: string,
): HTMLElement | null {
  const pages = pagesFor(permissions);
  if (pages.length === 0) return null;
  const current = parseAdminRoute(hash);
  const currentPage = current?.page === 'rule' ? 'rules' : (current?.page ?? null);
  return h(
    'nav',
    { class: 'pages', attrs: { 'aria-label': t('adm.nav.label') } },
    h(
      'ul',
      null,
      h(
        'li',
        null,
        h(
          'a',
          { attrs: { href: queueHash, 'aria-current': currentPage === null ? 'page' : null } },
          t('adm.nav.queue'),
        ),
      ),
      ...pages.map((page) =>
        h(
          'li',
          null,
          h(
            'a',
            {
              attrs: {
                href: adminHash(pageStartRoute(page)),
                'aria-current': page === currentPage ? 'page' : null,
              },
            },
            t(NAMES[page]),
          ),
        ),
      ),
    ),
  );
}

/** Draws the team's page the fragment names; false when it names none of them (the shell draws its own). */
export async function renderAdminPage(screen: Screen, hash: string): Promise<boolean> {
  const route = parseAdminRoute(hash);
  if (route === null) return false;
  // Each page checks the role itself and says why it shows nothing: the address may be a shared link.
  switch (route.page) {
    case 'rules':
      await renderRules(screen);
      break;
    case 'rule':
      await renderRule(screen, route.id);
      break;
    case 'allowlist':
      await renderAllowlist(screen, route.cursor);
      break;
    case 'protected':
      await renderProtected(screen, route.cursor);
      break;
    case 'reporters':
      await renderReporters(screen, route.standing, route.cursor);
      break;
    case 'tokens':
      await renderTokens(screen);
      break;
    case 'audit':
      await renderAudit(screen, route.filter, route.cursor);
      break;
  }
  return true;
}
