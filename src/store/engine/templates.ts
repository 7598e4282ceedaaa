/**
 * Index templates: composable templates (`_index_template`, built from component
 * templates), and legacy templates (`_template`), applied when an index is created.
 * Composable templates win over legacy ones; among composable templates the one with the
 * highest priority whose pattern matches is used; legacy templates all apply, by `order`.
 */
import { illegalArgument } from '../errors.ts';
import { matches } from '../mapping/dynamic.ts';
import type { FieldDef, MappingDef } from '../mapping/types.ts';
import type { Catalog } from './catalog.ts';
import type { AliasDef } from './index-db.ts';
import { flattenSettings, type Settings } from './settings.ts';

export interface TemplateBody {
  settings?: unknown;
  mappings?: MappingDef;
  aliases?: Record<string, AliasDef>;
}

export interface IndexTemplate {
  index_patterns: string[];
  template?: TemplateBody;
  composed_of?: string[];
  priority?: number;
  version?: number;
  _meta?: Record<string, unknown>;
  data_stream?: { hidden?: boolean; allow_custom_routing?: boolean };
  allow_auto_create?: boolean;
  ignore_missing_component_templates?: string[];
  deprecated?: boolean;
}

export interface ComponentTemplate {
  template: TemplateBody;
  version?: number;
  _meta?: Record<string, unknown>;
}

export interface LegacyTemplate {
  index_patterns: string[];
  order?: number;
  version?: number;
  settings?: unknown;
  mappings?: MappingDef;
  aliases?: Record<string, AliasDef>;
}

export interface ResolvedTemplate {
  settings: Settings;
  mappings: MappingDef;
  aliases: Record<string, AliasDef>;
  /** The composable template that matched, if any. */
  templateName: string | null;
  dataStream: boolean;
}

/** The composable template that applies to an index name, if any. */
export function findIndexTemplate(catalog: Catalog, name: string): [string, IndexTemplate] | undefined {
  let best: [string, IndexTemplate] | undefined;
  for (const [templateName, template] of catalog.list<IndexTemplate>('index_template')) {
    if (!template.index_patterns.some((p) => matches(p, name))) continue;
    if (!best || (template.priority ?? 0) > (best[1].priority ?? 0)) best = [templateName, template];
  }
  return best;
}

/** What templates contribute to a new index called `name`. */
export function resolveTemplates(catalog: Catalog, name: string): ResolvedTemplate {
  const out: ResolvedTemplate = { settings: {}, mappings: {}, aliases: {}, templateName: null, dataStream: false };
  const composable = findIndexTemplate(catalog, name);
  if (composable) {
    const [templateName, template] = composable;
    out.templateName = templateName;
    out.dataStream = template.data_stream !== undefined;
    for (const componentName of template.composed_of ?? []) {
      const component = catalog.get<ComponentTemplate>('component_template', componentName);
      if (!component) {
        if (template.ignore_missing_component_templates?.includes(componentName)) continue;
        throw illegalArgument(`index template [${templateName}] specifies a missing component template [${componentName}]`);
      }
      apply(out, component.template);
    }
    apply(out, template.template ?? {});
    return out;
  }
  const legacy = [...catalog.list<LegacyTemplate>('legacy_template')]
    .filter(([, t]) => t.index_patterns.some((p) => matches(p, name)))
    .sort(([, a], [, b]) => (a.order ?? 0) - (b.order ?? 0));
  for (const [, template] of legacy) apply(out, { settings: template.settings, mappings: template.mappings, aliases: template.aliases });
  return out;
}

/** Applies one more layer (a template, then the create request) on top: settings and aliases by key, mappings deep-merged, later wins. */
export function apply(out: { settings: Settings; mappings: MappingDef; aliases: Record<string, AliasDef> }, layer: TemplateBody): void {
  Object.assign(out.settings, flattenSettings(layer.settings));
  if (layer.mappings) out.mappings = overlayMappings(out.mappings, unwrapType(layer.mappings));
  if (layer.aliases) Object.assign(out.aliases, structuredClone(layer.aliases));
}

function unwrapType(mappings: MappingDef): MappingDef {
  const keys = Object.keys(mappings);
  if (keys.length === 1 && keys[0] === '_doc') return mappings._doc as MappingDef;
  return mappings;
}

/** Deep merge of two mapping definitions where the second wins on conflicts (template composition rules). */
export function overlayMappings(base: MappingDef, top: MappingDef): MappingDef {
  const out: MappingDef = structuredClone(base);
  for (const [key, value] of Object.entries(top)) {
    if (key === 'properties') out.properties = overlayProperties(out.properties ?? {}, value as Record<string, FieldDef>);
    else if (key === 'dynamic_templates' && Array.isArray(out.dynamic_templates)) {
      const byName = new Map(out.dynamic_templates.map((t) => [Object.keys(t)[0]!, t]));
      for (const t of value as Record<string, never>[]) byName.set(Object.keys(t)[0]!, t);
      out.dynamic_templates = [...byName.values()];
    } else out[key] = structuredClone(value);
  }
  return out;
}

function overlayProperties(base: Record<string, FieldDef>, top: Record<string, FieldDef>): Record<string, FieldDef> {
  const out = { ...base };
  for (const [name, def] of Object.entries(top)) {
    const existing = out[name];
    const bothObjects = existing && existing.type === undefined && def.type === undefined && (existing.properties || def.properties);
    out[name] = bothObjects ? { ...existing, ...def, properties: overlayProperties(existing.properties ?? {}, def.properties ?? {}) } : structuredClone(def);
  }
  return out;
}
