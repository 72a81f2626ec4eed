// The public API of loopkit.js, the script a site embeds:
//
//   <script async src="/loopkit/loopkit.js" data-collector="/collect"
//           data-site="demo" data-scoring="/loopkit/scoring.json"></script>
//
// Script tag settings (all optional):
//   data-collector         URL events are POSTed to; default "/collect"
//   data-site              site name stored with each event; default the host
//   data-scoring           URL of a scoring model; default the core's model
//   data-discount-params   query keys holding a discount code, "a,b"
//   data-internal-hosts    hosts that count as this site, "a.test,b.test"
//   data-debug             log each event queued and sent, and each one
//                          dropped with its reason
//   data-excluded-hosts    referrers that continue the visit (payment
//                          pages); default the core's list, "" for none
//   data-session-timeout   minutes of inactivity that end a session; 30
//   data-touch-history     touches kept per visitor, 1 to 100; 25
//   data-referrers         URL of a referer-parser JSON file to add
//   data-channels          URL of a custom channel rules JSON file
//   data-cookie-domain     "example.com" shares the visitor with its
//                          subdomains; default this host only
//   data-cookie-days       lifetime of the visitor id cookie; 365
//   data-consent           "required", "optout" (default) or "none"
//   data-respect-dnt       "false": Do Not Track does not opt out
//   data-respect-gpc       "false": Global Privacy Control does not
//                          opt out
//   data-cta-selectors     more CTAs, CSS selectors ".btn-primary, a.signup"
//   data-track-outbound    record clicks on links to other hosts; off
//   data-track-mailto      record mailto: clicks (no address); on, "false"
//   data-track-tel         record tel: clicks (no number); on, "false"
//   data-lead-forms        more lead forms, CSS selectors "form.hs-form"
//   data-lead-fields       lead fields read, "name,company,org:company"
//   data-crm               hidden-field preset: auto (default), hubspot,
//                          marketo, salesforce or off
//   data-linked-domains    sites sharing the visitor, "shop.test,app.test"
//   data-link-param        the query parameter carrying it; default "_lk"
//
// Markup it reads:
//   data-loopkit-cta="id"        a click on it records cta_click
//   data-loopkit-discount        an input holding a discount code
//   data-loopkit-form="name"     a form whose submit records a lead
//   data-loopkit-fill="key"      a hidden input filled from FillValues
// and, by their field names, the hidden fields of HubSpot, Marketo and
// Salesforce Web-to-Lead forms (docs/snippet.md lists them).
//
// Markup it writes, on <html>, after every event (empty when none applies):
//   data-loopkit-grade="B"       the fit grade
//   data-loopkit-stage="hot"     the engagement stage
//   data-loopkit-status="mql"    the combined status

/**
 * Why a visitor has the points they have: one entry per rule that matched.
 * Points have at most two decimals (decay makes fractions).
 */
export interface ScoreReason {
  /** The rule's id in the scoring model, "clicked_cta". */
  rule: string;
  description: string;
  /** Which score the rule adds to. */
  score: 'fit' | 'engagement';
  /** What the rule adds now, after decay and its cap. */
  points: number;
  /** The same before decay. */
  before_decay: number;
  /** Matching events (1 for lead-field, email and recency rules). */
  count: number;
  /** Ids of the events behind the points, newest first, at most 10. */
  events: string[];
}

/** The live lead score; docs/scoring.md describes the model behind it. */
export interface Score {
  /** fit + engagement. */
  points: number;
  /** Who the lead is: job title, company size, email domain. */
  fit: number;
  /** What they did, decayed over time. */
  engagement: number;
  /** The fit grade reached, "A"; "" below every grade. */
  grade: string;
  /** The engagement stage reached, "hot". */
  stage: string;
  /** The first status whose grade and stage are reached, "mql"; or "". */
  status: string;
  /** Matching rules: fit rules first, each in the model's order. */
  reasons: ScoreReason[];
}

/** Custom event properties: any JSON object (the collector caps its size). */
export type Props = { [key: string]: unknown };

/**
 * A lead recorded by the page's own code. The email is hashed in the page
 * and never sent; fields are read like a form's (CRM names such as
 * `firstname` or `jobtitle` map to the lead fields) and any field outside
 * the lead fields is dropped.
 */
export interface LeadDetails {
  /** The form's name in reports; default "lead". */
  form?: string;
  email?: string;
  fields?: { [name: string]: string | number };
}

/**
 * The values loopkit writes into `data-loopkit-fill` inputs, so a form's
 * receiver (a CRM, an email tool) gets the attribution with the lead.
 */
export interface FillValues {
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_term: string;
  utm_content: string;
  utm_id: string;
  /** The latest touch's ad click id and which one it is ("gclid"...). */
  click_id: string;
  click_id_type: string;
  gclid: string;
  msclkid: string;
  fbclid: string;
  discount_code: string;
  visitor_id: string;
  session_id: string;
  lead_score: number | string;
  lead_fit: number | string;
  lead_engagement: number | string;
  lead_grade: string;
  lead_stage: string;
  lead_status: string;
  referrer_source: string;
  referrer_medium: string;
  landing_page: string;
  /** The latest touch's channel, "Paid Search". */
  channel: string;
  /** The first touch's, kept across visits. */
  first_utm_source: string;
  first_utm_medium: string;
  first_utm_campaign: string;
  first_referrer_source: string;
  first_channel: string;
  first_landing_page: string;
  /** The latest touch that was not a direct visit. */
  last_non_direct_source: string;
  last_non_direct_medium: string;
  last_non_direct_campaign: string;
  last_non_direct_channel: string;
  /** When the first and the latest touch happened, ms since 1970. */
  first_touch_time: number;
  last_touch_time: number;
  [key: string]: unknown;
}

/**
 * `window.loopkit`. Every call is safe before the script has loaded (with
 * the stub in place) and never throws into the page; calls made before the
 * WebAssembly core is ready wait for it.
 */
export interface Loopkit {
  /**
   * The visitor's choice, from the site's consent banner. "denied" clears
   * loopkit's cookie and storage, drops what waits to be sent and is
   * remembered; "granted" starts tracking (data-consent="required") and
   * lifts an earlier denial. Ignored with data-consent="none".
   * @example loopkit('consent', 'granted')
   */
  (command: 'consent', choice: 'granted' | 'denied'): void;

  /**
   * Records a custom event.
   * @example loopkit('track', 'video_played', { video: 'intro' })
   */
  (command: 'track', name: string, props?: Props): void;

  /**
   * Remembers who the visitor is. The email is hashed in the page and the
   * raw address is never sent.
   * @example loopkit('identify', { email: 'jane@example.com' })
   */
  (command: 'identify', person: { email: string }): void;

  /**
   * Records a lead where no form is submitted (a chat, a booking widget,
   * a form sent with form.submit()). The event is sent at once.
   * @example loopkit('lead', { form: 'webinar', email: 'jane@example.com',
   *   fields: { firstname: 'Jane', jobtitle: 'CTO' } })
   */
  (command: 'lead', lead: LeadDetails): void;

  /**
   * Records a discount code applied by the page's own code. A code already
   * used in this session is not recorded again.
   * @example loopkit('discount', 'SPRING20')
   */
  (command: 'discount', code: string): void;

  /**
   * Calls back with the visitor's current score, or null when the core
   * could not load.
   * @example loopkit('score', s => console.log(s && s.grade))
   */
  (command: 'score', callback: (score: Score | null) => void): void;

  /**
   * Calls listener with the current score as soon as the core is ready,
   * then after every event that changes it. Never called when the core
   * could not load.
   * @example loopkit('on', 'score', s => showSalesCta(s.stage === 'hot'))
   */
  (command: 'on', event: 'score', listener: (score: Score) => void): void;

  /** Removes a listener added with 'on'. */
  (command: 'off', event: 'score', listener: (score: Score) => void): void;

  /**
   * The visitor's current score, or null when the core could not load or
   * consent does not allow tracking.
   */
  score(): Promise<Score | null>;

  /**
   * Where the visitor came from, as the core keeps it: the first touch,
   * the latest, the latest that was not a direct visit (or null), and the
   * history oldest first. null without a core or consent.
   */
  touches(): Promise<Touches | null>;

  /**
   * Resolves to true once the core has loaded (tracking still waits for
   * consent when it is required), or to false when it could not load: the
   * page keeps working, page views are still sent for the collector to
   * classify, and other calls are ignored. Never rejects.
   */
  readonly ready: Promise<boolean>;

  /** The snippet's version, "0.2.0". */
  readonly version: string;

  /** Calls queued by the stub before the script loaded. */
  q?: IArguments[];
}

/** One touch, as the core summarises it (docs/events.md has the fields). */
export type Touch = { [key: string]: unknown };

export interface Touches {
  first: Touch | null;
  last: Touch | null;
  last_non_direct: Touch | null;
  history: Touch[];
}

/**
 * The options of `init` in loopkit.mjs: the script tag's settings in
 * camelCase, lists as arrays, flags as booleans; docs/snippet.md has the
 * defaults.
 */
export interface LoopkitOptions {
  /** The folder holding loopkit-page.wasm, the core; default "./". */
  base?: string;
  collector?: string;
  site?: string;
  scoring?: string;
  discountParams?: string[];
  internalHosts?: string[];
  excludedHosts?: string[];
  sessionTimeout?: number;
  touchHistory?: number;
  referrers?: string;
  channels?: string;
  cookieDomain?: string;
  cookieDays?: number;
  consent?: 'required' | 'optout' | 'none';
  respectDnt?: boolean;
  respectGpc?: boolean;
  debug?: boolean;
  /** CSS selectors of CTAs besides [data-loopkit-cta]. */
  ctaSelectors?: string | string[];
  trackOutbound?: boolean;
  trackMailto?: boolean;
  trackTel?: boolean;
  /** CSS selectors of lead forms besides [data-loopkit-form]. */
  leadForms?: string | string[];
  /** The fields read from a form; "org:company" reads org as company. */
  leadFields?: string[];
  crm?: 'auto' | 'hubspot' | 'marketo' | 'salesforce' | 'off';
  linkedDomains?: string[];
  linkParam?: string;
  [setting: string]: unknown;
}

/**
 * loopkit.mjs: starts loopkit once per page and returns it (also as
 * window.loopkit); later calls return the same instance.
 * @example init({ base: '/loopkit/', site: 'shop', consent: 'required' })
 */
export function init(options?: LoopkitOptions): Loopkit;

declare global {
  interface Window {
    loopkit: Loopkit;
  }
}
