/**
 * Cluster-level objects kept in the catalog and served as Elasticsearch does: index
 * templates (composable, component, legacy), ingest pipelines and ILM policies. Pipelines
 * and policies are stored and returned; they do not run (the HTTP layer answers with a
 * warning header where a document names a pipeline).
 */
import { EsError, illegalArgument, resourceNotFound } from '../errors.ts';
import { matches } from '../mapping/dynamic.ts';
import { Mapping } from '../mapping/mapping.ts';
import type { CatalogKind } from './catalog.ts';
import type { Engine } from './engine.ts';
import { flattenSettings, nestSettings, validateSettings } from './settings.ts';
import type { ComponentTemplate, IndexTemplate } from './templates.ts';

export type TemplateKind = 'index_template' | 'component_template' | 'legacy_template';

export function putTemplate(engine: Engine, kind: TemplateKind, name: string, body: unknown, create: boolean): Promise<{ acknowledged: true }> {
  return engine.queue.exclusive(() => {
    if (typeof body !== 'object' || body === null) throw new EsError(400, 'parse_exception', 'request body is required');
    if (create && engine.catalog.get(kind, name)) {
      throw illegalArgument(`${kind === 'component_template' ? 'component' : 'index'} template [${name}] already exists`);
    }
    const stored = validateTemplate(engine, kind, name, structuredClone(body) as Record<string, unknown>);
    engine.catalog.put(kind, name, stored);
    return { acknowledged: true };
  });
}

function validateTemplate(engine: Engine, kind: TemplateKind, name: string, body: Record<string, unknown>): unknown {
  const checkLayer = (layer: { settings?: unknown; mappings?: unknown } | undefined) => {
    if (!layer) return;
    if (layer.settings !== undefined) {
      const flat = flattenSettings(layer.settings);
      validateSettings(flat);
      layer.settings = nestSettings(Object.fromEntries(Object.entries(flat).map(([k, v]) => [k, v])));
    }
    if (layer.mappings !== undefined) layer.mappings = Mapping.parse(layer.mappings).toJSON();
  };
  if (kind === 'component_template') {
    if (typeof body.template !== 'object' || body.template === null) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: template is missing;');
    checkLayer(body.template as ComponentTemplate['template']);
    return body;
  }
  const patterns = body.index_patterns ?? (kind === 'legacy_template' ? body.template : undefined);
  const list = typeof patterns === 'string' ? [patterns] : patterns;
  if (!Array.isArray(list) || list.length === 0) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: index patterns are missing;');
  body.index_patterns = list;
  if (kind === 'legacy_template') {
    delete body.template;
    checkLayer(body as { settings?: unknown; mappings?: unknown });
    return body;
  }
  const template = body as unknown as IndexTemplate;
  checkLayer(template.template as { settings?: unknown; mappings?: unknown } | undefined);
  for (const component of template.composed_of ?? []) {
    if (!engine.catalog.get('component_template', component) && !template.ignore_missing_component_templates?.includes(component)) {
      throw new EsError(400, 'invalid_index_template_exception', `index_template [${name}] invalid, cause [index template [${name}] specifies component templates [${component}] that do not exist]`);
    }
  }
  for (const [other, existing] of engine.catalog.list<IndexTemplate>('index_template')) {
    if (other === name || (existing.priority ?? 0) !== (template.priority ?? 0)) continue;
    const overlap = template.index_patterns.filter((p) => existing.index_patterns.some((q) => matches(p, q) || matches(q, p)));
    if (overlap.length) {
      throw illegalArgument(
        `index template [${name}] has index patterns [${template.index_patterns.join(', ')}] matching patterns from existing templates [${other}] with patterns (${other} => [${existing.index_patterns.join(', ')}]) that have the same priority [${template.priority ?? 0}], multiple index templates may not match during index creation, please use a different priority`,
      );
    }
  }
  return body;
}

/** Templates by name or pattern (comma lists, wildcards); a plain name that does not exist is a 404. */
export function getTemplates(engine: Engine, kind: TemplateKind, name: string | undefined): Record<string, unknown>[] | Record<string, unknown> {
  const all = engine.catalog.list<Record<string, unknown>>(kind);
  const patterns = name ? name.split(',') : ['*'];
  const hits = [...all].filter(([n]) => patterns.some((p) => matches(p, n)));
  if (hits.length === 0 && name && !name.includes('*') && kind !== 'legacy_template') {
    const what = kind === 'index_template' ? 'index template' : kind === 'component_template' ? 'component template' : 'index template';
    throw resourceNotFound(`${what} matching [${name}] not found`);
  }
  if (kind === 'legacy_template') return Object.fromEntries(hits.map(([n, t]) => [n, { order: 0, mappings: {}, aliases: {}, settings: {}, ...t }]));
  if (kind === 'index_template') return hits.map(([n, t]) => ({ name: n, index_template: { composed_of: [], ...t } }));
  return hits.map(([n, t]) => ({ name: n, component_template: t }));
}

export function deleteTemplates(engine: Engine, kind: TemplateKind, name: string): Promise<{ acknowledged: true }> {
  return engine.queue.exclusive(() => {
    const all = engine.catalog.list(kind);
    const patterns = name.split(',');
    const hits = [...all.keys()].filter((n) => patterns.some((p) => matches(p, n)));
    if (hits.length === 0) {
      throw kind === 'legacy_template' ? new EsError(404, 'index_template_missing_exception', `index_template [${name}] missing`) : resourceNotFound(`${kind.replace('_', ' ')} matching [${name}] not found`);
    }
    if (kind === 'component_template') {
      for (const [indexTemplate, t] of engine.catalog.list<IndexTemplate>('index_template')) {
        const used = hits.filter((h) => t.composed_of?.includes(h));
        if (used.length) throw illegalArgument(`component templates [${used.join(', ')}] cannot be removed as they are still in use by index templates [${indexTemplate}]`);
      }
    }
    for (const hit of hits) engine.catalog.delete(kind, hit);
    return { acknowledged: true };
  });
}

// ---- ingest pipelines and ILM policies: stored, returned, not executed ------------------

export type StoredKind = Extract<CatalogKind, 'pipeline' | 'ilm_policy'>;

export function putStored(engine: Engine, kind: StoredKind, name: string, body: unknown): Promise<{ acknowledged: true }> {
  return engine.queue.exclusive(() => {
    if (typeof body !== 'object' || body === null) throw new EsError(400, 'parse_exception', 'request body is required');
    if (kind === 'pipeline' && !Array.isArray((body as { processors?: unknown }).processors)) {
      throw new EsError(400, 'parse_exception', '[processors] required property is missing', { property_name: 'processors' });
    }
    if (kind === 'ilm_policy' && typeof (body as { policy?: unknown }).policy !== 'object') {
      throw new EsError(400, 'x_content_parse_exception', 'required [policy] is missing');
    }
    const previous = engine.catalog.get<{ version?: number }>(kind, name);
    const now = new Date().toISOString();
    const stored = kind === 'ilm_policy' ? { version: (previous?.version ?? 0) + 1, modified_date: now, ...(body as { policy: unknown }) } : body;
    engine.catalog.put(kind, name, stored);
    return { acknowledged: true };
  });
}

export function getStored(engine: Engine, kind: StoredKind, name: string | undefined): Record<string, unknown> {
  const all = engine.catalog.list<Record<string, unknown>>(kind);
  const patterns = name ? name.split(',') : ['*'];
  const hits = [...all].filter(([n]) => patterns.some((p) => matches(p, n)));
  if (name && hits.length === 0) {
    throw kind === 'ilm_policy'
      ? resourceNotFound(`Lifecycle policy not found: ${name}`)
      : new EsError(404, 'resource_not_found_exception', `pipeline [${name}] is missing`);
  }
  return Object.fromEntries(hits);
}

export function deleteStored(engine: Engine, kind: StoredKind, name: string): Promise<{ acknowledged: true }> {
  return engine.queue.exclusive(() => {
    const patterns = name.split(',');
    const hits = [...engine.catalog.list(kind).keys()].filter((n) => patterns.some((p) => matches(p, n)));
    if (hits.length === 0) {
      throw kind === 'ilm_policy' ? resourceNotFound(`Lifecycle policy not found: ${name}`) : new EsError(404, 'resource_not_found_exception', `pipeline [${name}] is missing`);
    }
    for (const hit of hits) engine.catalog.delete(kind, hit);
    return { acknowledged: true };
  });
}
