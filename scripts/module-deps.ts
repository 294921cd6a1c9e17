/**
 * The module dependency list of src/ and the edges that break the layer rule (`npm run deps`).
 *
 * A module is the first folder under src/ (files directly in src/ are the composition root, `app`). An edge
 * A -> B means some non-spec file of A imports (statically, dynamically or `import type`) a file of B. Unit
 * specs are left out: they are not part of what a module needs to run. The rule: a module imports only
 * modules of its own layer or of lower layers (LAYERS, low to high); the few known exceptions are listed in
 * ALLOWED_UPWARD with the reason they remain. Exit code 1 when an edge breaks the rule and is not listed,
 * or when a listed exception no longer exists (so the list stays true).
 *
 *   npm run deps                  this checkout
 *   npm run deps -- path/to/src   another checkout (e.g. main, to compare)
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

/** Low to high. Modules of one layer may import each other. */
export const LAYERS: readonly (readonly string[])[] = [
  // plain code: generic helpers and the wire protocol, no Nest, no I/O of their own
  ['common', 'protocol'],
  // typed settings, the clock, the DYNAMIC_* service
  ['config'],
  // the DataSource, migrations runner, advisory locks; knows no feature table
  ['database'],
  // system events, metrics, health, live feed, logging: what every module reports through
  ['observability'],
  // edges to the outside world, lowest first
  ['chain'],
  ['miners'],
  ['s3', 'receipts'],
  // the validator's work
  ['synthetic-jobs', 'organic-jobs', 'weights'],
  // adapter of organic-jobs' CollateralGate port; slashing reads organic jobs
  ['collateral'],
  // across the features: the operators' status page, the upload to the stats collector, data retention
  ['status-page', 'stats-upload', 'retention'],
  // the simulated peers, the CLI and the composition root (app.module.ts, main.ts, cli.ts, app-*.ts, wiring/)
  ['devnet', 'cli', 'wiring', 'app'],
];

export interface AllowedEdge {
  from: string;
  to: string;
  reason: string;
}

/** Upward edges that remain, each with its reason. Remove an entry when its edge goes. */
export const ALLOWED_UPWARD: readonly AllowedEdge[] = [
  {
    from: 'config', to: 'database',
    reason: 'config/dynamic (the DYNAMIC_* service and its remote fetcher) lives beside the static settings; it should become a module of its own above observability',
  },
  {
    from: 'config', to: 'observability',
    reason: 'config/dynamic records fetch failures as system events (same as config -> database)',
  },
  {
    from: 'config', to: 'chain',
    reason: 'config/env/chain.env.ts validates BITTENSOR_NETWORK with the network names of chain/client/network.ts (pure functions)',
  },
  {
    from: 'config', to: 'collateral',
    reason: 'config/dynamic/remote reads the dynamic-config contract through collateral/evm (the EVM client, pure edge code)',
  },
  {
    from: 'config', to: 'weights',
    reason: "config/dynamic parses floats with weights/engine/python-float (Python's float() rules, pure)",
  },
];

export const ROOT_MODULE = 'app';

export interface ModuleEdge {
  from: string;
  to: string;
  /** `file -> import specifier`, relative to src/. */
  sites: string[];
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function moduleOf(srcDir: string, file: string): string | null {
  const rel = relative(srcDir, file);
  if (rel.startsWith('..')) return null;
  const parts = rel.split(sep);
  return parts.length === 1 ? ROOT_MODULE : parts[0];
}

/** The file a relative specifier names: `x.ts`, `x/index.ts`, or the path itself (json and the like). */
function resolveImport(fromFile: string, specifier: string): string {
  const base = resolve(dirname(fromFile), specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) if (existsSync(candidate)) return candidate;
  return base;
}

/** Every module-to-module edge of `srcDir`, sorted. */
export function moduleEdges(srcDir: string): ModuleEdge[] {
  const edges = new Map<string, ModuleEdge>();
  for (const file of sourceFiles(srcDir)) {
    const from = moduleOf(srcDir, file);
    if (!from) continue;
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue; // packages
      const to = moduleOf(srcDir, resolveImport(file, fileName));
      if (!to || to === from) continue; // outside src/ (package.json) or inside the module
      const key = `${from} -> ${to}`;
      const edge = edges.get(key) ?? { from, to, sites: [] };
      edge.sites.push(`${relative(srcDir, file)} -> ${fileName}`);
      edges.set(key, edge);
    }
  }
  return [...edges.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

export function layerOf(module: string): number {
  return LAYERS.findIndex((layer) => layer.includes(module));
}

export interface DependencyReport {
  edges: ModuleEdge[];
  /** Modules found under src/ that LAYERS does not name. */
  unlayered: string[];
  /** Upward edges not in ALLOWED_UPWARD: each one breaks the rule. */
  violations: ModuleEdge[];
  /** Upward edges in ALLOWED_UPWARD. */
  allowed: ModuleEdge[];
  /** ALLOWED_UPWARD entries whose edge no longer exists (remove them). */
  stale: AllowedEdge[];
}

export function checkDependencies(srcDir: string, allowedUpward: readonly AllowedEdge[] = ALLOWED_UPWARD): DependencyReport {
  const edges = moduleEdges(srcDir);
  const modules = new Set(edges.flatMap((e) => [e.from, e.to]));
  for (const name of readdirSync(srcDir)) if (statSync(join(srcDir, name)).isDirectory()) modules.add(name);
  const unlayered = [...modules].filter((m) => layerOf(m) < 0).sort();
  const upward = edges.filter((e) => layerOf(e.from) >= 0 && layerOf(e.to) >= 0 && layerOf(e.to) > layerOf(e.from));
  const isAllowed = (e: ModuleEdge) => allowedUpward.some((a) => a.from === e.from && a.to === e.to);
  return {
    edges,
    unlayered,
    violations: upward.filter((e) => !isAllowed(e)),
    allowed: upward.filter(isAllowed),
    stale: allowedUpward.filter((a) => !upward.some((e) => e.from === a.from && e.to === a.to)),
  };
}

export function formatReport(report: DependencyReport): string {
  const lines: string[] = [];
  const tag = (m: string) => `${m} [${layerOf(m) < 0 ? '?' : layerOf(m)}]`;
  lines.push('Layers (low to high; a module imports its own layer or lower ones):');
  LAYERS.forEach((layer, i) => lines.push(`  ${i}. ${layer.join(', ')}`));
  lines.push('', 'Module dependencies:');
  const froms = [...new Set(report.edges.map((e) => e.from))].sort((a, b) => layerOf(a) - layerOf(b) || a.localeCompare(b));
  for (const from of froms) {
    const tos = report.edges.filter((e) => e.from === from).map((e) => e.to).sort((a, b) => layerOf(a) - layerOf(b) || a.localeCompare(b));
    lines.push(`  ${tag(from)} -> ${tos.join(', ')}`);
  }
  if (report.unlayered.length) lines.push('', `Modules with no layer (add them to LAYERS): ${report.unlayered.join(', ')}`);
  lines.push('', `Upward edges breaking the rule: ${report.violations.length}`);
  for (const e of report.violations) {
    lines.push(`  ${tag(e.from)} -> ${tag(e.to)}`);
    for (const site of e.sites) lines.push(`      ${site}`);
  }
  lines.push('', `Upward edges allowed for now (ALLOWED_UPWARD): ${report.allowed.length}`);
  for (const e of report.allowed) {
    const reason = ALLOWED_UPWARD.find((a) => a.from === e.from && a.to === e.to)?.reason ?? '';
    lines.push(`  ${tag(e.from)} -> ${tag(e.to)}: ${reason}`);
    for (const site of e.sites) lines.push(`      ${site}`);
  }
  if (report.stale.length) {
    lines.push('', 'ALLOWED_UPWARD entries whose edge is gone (remove them):');
    for (const a of report.stale) lines.push(`  ${a.from} -> ${a.to}`);
  }
  return lines.join('\n');
}

if (require.main === module) {
  const srcDir = resolve(process.argv[2] ?? join(__dirname, '..', 'src'));
  const report = checkDependencies(srcDir);
  console.log(formatReport(report));
  if (report.violations.length || report.unlayered.length || report.stale.length) process.exitCode = 1;
}
