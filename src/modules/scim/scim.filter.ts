import { parse, type Filter } from 'scim2-parse-filter';
import { AppError } from '../../infra/errors.js';

export type { Filter };

const MAX_FILTER = 2_000;

function invalid(detail: string): AppError {
  return new AppError('invalid_filter', detail, { field: '/filter', extra: { scimType: 'invalidFilter' } });
}

/**
 * Parses a SCIM filter (RFC 7644 §3.4.2.2) with scim2-parse-filter. `emails[type eq "work"].value eq "x"`,
 * which the parser reads as `emails[type eq "work"] and emails.value eq "x"`, is taken as one element
 * that is both (the stricter reading identity providers mean).
 */
export function parseFilter(text: string): Filter {
  if (text.length > MAX_FILTER) throw invalid(`a filter may be at most ${MAX_FILTER} characters`);
  let ast: Filter;
  try {
    ast = parse(text);
  } catch (err) {
    throw invalid(`the filter is not valid SCIM filter syntax: ${(err as Error).message}`);
  }
  return mergeValuePaths(ast);
}

function mergeValuePaths(f: Filter): Filter {
  switch (f.op) {
    case 'not':
      return { op: 'not', filter: mergeValuePaths(f.filter) };
    case '[]':
      return { ...f, valFilter: mergeValuePaths(f.valFilter) };
    case 'and':
    case 'or': {
      const parts = f.filters.map(mergeValuePaths);
      if (f.op === 'or') return { op: 'or', filters: parts };
      const out: Filter[] = [];
      for (const part of parts) {
        const prev = out[out.length - 1];
        const attr = 'attrPath' in part && part.op !== '[]' ? part : null;
        if (prev?.op === '[]' && attr && attr.attrPath.toLowerCase().startsWith(`${prev.attrPath.toLowerCase()}.`)) {
          const sub = { ...attr, attrPath: attr.attrPath.slice(prev.attrPath.length + 1) } as Filter;
          out[out.length - 1] = {
            op: '[]',
            attrPath: prev.attrPath,
            valFilter: { op: 'and', filters: [prev.valFilter, sub] },
          };
        } else out.push(part);
      }
      return out.length === 1 ? out[0]! : { op: 'and', filters: out };
    }
    default:
      return f;
  }
}
