/**
 * What a published figure covers, shared by the modules that compute figures (applications, the
 * satisfaction survey, complaints) and the open-data pages that publish them. Figures computed
 * against these are raw; small-count suppression happens only where they are published.
 */

/** Whose figures: one service, one agency (all its services), or the whole platform (both null). */
export interface FigureScope {
  agencyId: string | null;
  serviceId: string | null;
}

/** A half-open interval of instants, ISO 8601 UTC: `from` <= t < `to`. */
export interface FigurePeriod {
  from: string;
  to: string;
}
