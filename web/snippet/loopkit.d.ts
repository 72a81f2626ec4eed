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
//   data-debug             log a warning for every dropped event
//
// Markup it reads:
//   data-loopkit-cta="id"        a click on it records cta_click
//   data-loopkit-discount        an input holding a discount code
//   data-loopkit-form="name"     a form whose submit records a lead
//   data-loopkit-fill="key"      a hidden input filled from FillValues
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
 * The values loopkit writes into `data-loopkit-fill` inputs, so a form's
 * receiver (a CRM, an email tool) gets the attribution with the lead.
 */
export interface FillValues {
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_term: string;
  utm_content: string;
  gclid?: string;
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
  landing_page: string;
  [key: string]: unknown;
}

/**
 * `window.loopkit`. Every call is safe before the script has loaded (with
 * the stub in place) and never throws into the page; calls made before the
 * WebAssembly core is ready wait for it.
 */
export interface Loopkit {
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

  /** The visitor's current score, or null when the core could not load. */
  score(): Promise<Score | null>;

  /**
   * Resolves to true once tracking runs, or to false when the core could
   * not load (the page keeps working; calls are then ignored). Never
   * rejects.
   */
  readonly ready: Promise<boolean>;

  /** The snippet's version, "0.1.0". */
  readonly version: string;

  /** Calls queued by the stub before the script loaded. */
  q?: IArguments[];
}

declare global {
  interface Window {
    loopkit: Loopkit;
  }
}
