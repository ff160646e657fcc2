import type { Multi, Scalar } from './scim.attributes.js';
import { MAX_RESULTS } from './scim.discovery.js';
import { parseFilter } from './scim.filter.js';
import { LIST_RESPONSE } from './scim.resources.js';

type Json = Record<string, unknown>;

/** The query of a SCIM list (RFC 7644 §3.4.2): filter, paging and the attributes to return or leave out. */
export interface ListQuery {
  filter?: string;
  startIndex?: number;
  count?: number;
  attributes?: string;
  excludedAttributes?: string;
}

/** RFC 7644 §3.4.2.4: startIndex below 1 is 1; count below 0 is 0; at most MAX_RESULTS per page. */
function paging(q: ListQuery): { offset: number; limit: number; startIndex: number } {
  const startIndex = Math.max(1, Math.trunc(q.startIndex ?? 1));
  const limit = Math.min(MAX_RESULTS, Math.max(0, Math.trunc(q.count ?? 100)));
  return { offset: startIndex - 1, limit, startIndex };
}

/** A list query as the repo takes it (the filter parsed against the attributes it may name, the page), and the page. */
export function listOptions(q: ListQuery, attributes: Record<string, Scalar | Multi>) {
  const page = paging(q);
  const filter = q.filter !== undefined ? { filter: parseFilter(q.filter) } : {};
  return { page, options: { ...filter, attributes, offset: page.offset, limit: page.limit } };
}

/** A ListResponse (RFC 7644 §3.4.2) of one page of resources. */
export function listResponse(total: number, startIndex: number, resources: Json[]) {
  return {
    schemas: [LIST_RESPONSE],
    totalResults: total,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
