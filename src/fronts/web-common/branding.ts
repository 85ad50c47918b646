// The organization's name and logo on every server-rendered page: the same header markup as web/shared/SiteHeader.tsx.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';

/** What every page shows of the organization. */
export interface Branding {
  organization: string;
  /** Whether `logo_file` is configured (then served at LOGO_PATH). */
  logo: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Set once on the root server (server.ts); encapsulated fronts inherit it. */
    branding?: Branding;
  }
}

/** The branding the configuration sets: `organization` and `logo_file`. */
export function brandingFromConfig(config: Pick<Config, 'organization' | 'logo_file'>): Branding {
  return { organization: config.organization, logo: config.logo_file !== undefined };
}

export const LOGO_PATH = '/branding/logo';
export const FAVICON_PATH = '/favicon.svg';
/** The stylesheet of server-rendered pages: the design system plus their few rules (page-style.ts). */
export const PAGE_CSS_PATH = '/branding/page.css';

/**
 * The branding of `fastify` (pass `reply.server` when answering). A front mounted alone, in a unit test, has none:
 * then `organization` (the product's name by default) and no logo.
 */
export function brandingOf(fastify: FastifyInstance, organization = 'Countersign'): Branding {
  return fastify.branding ?? { organization, logo: false };
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A tab title: what the page is, then whose it is ("Sign in — Example University"). */
export function pageTitle(title: string, organization: string): string {
  return title === organization ? title : `${title} — ${organization}`;
}

/** The `<head>` lines every server page shares: viewport, colour schemes, favicon and the stylesheet. */
export function headLinks(): string {
  return `<meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="color-scheme" content="light dark">
    <link rel="icon" href="${FAVICON_PATH}" type="image/svg+xml">
    <link rel="stylesheet" href="${PAGE_CSS_PATH}">`;
}

/** The header: logo (decorative: the name beside it says the same) and the organization's name. */
export function renderSiteHeader(branding: Branding): string {
  const logo = branding.logo ? `<img class="site-logo" src="${LOGO_PATH}" alt="">` : '';
  return `<header class="site-header">
      <div class="site-header-inner">
        ${logo}<p class="site-name">${escapeHtml(branding.organization)}</p>
      </div>
    </header>`;
}
