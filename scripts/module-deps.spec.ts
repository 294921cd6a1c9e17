import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ALLOWED_UPWARD, checkDependencies, LAYERS, moduleEdges } from './module-deps';

const SRC = join(__dirname, '..', 'src');

describe('module dependencies of src/ (npm run deps)', () => {
  const report = checkDependencies(SRC);

  it('has no edge from a lower layer to a higher one beyond the listed exceptions', () => {
    expect(report.violations.map((e) => `${e.from} -> ${e.to}: ${e.sites.join(', ')}`)).toEqual([]);
  });

  it('gives every module a layer', () => {
    expect(report.unlayered).toEqual([]);
  });

  it('lists no exception whose edge is gone, and gives each a reason', () => {
    expect(report.stale).toEqual([]);
    for (const a of ALLOWED_UPWARD) expect(a.reason.length).toBeGreaterThan(20);
  });

  it('keeps the database module free of feature modules', () => {
    const fromDatabase = report.edges.filter((e) => e.from === 'database').map((e) => e.to);
    const lower = LAYERS.slice(0, LAYERS.findIndex((l) => l.includes('database'))).flat();
    expect(fromDatabase.filter((m) => !lower.includes(m))).toEqual([]);
  });
});

describe('module-deps on a small tree', () => {
  function tree(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), 'chv-deps-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  }

  it('counts static, type-only and dynamic imports, folder indexes and the composition root; ignores specs and packages', () => {
    const src = tree({
      'app.module.ts': "import { A } from './chain/a';",
      'chain/a.ts': "import type { B } from '../miners';\nexport const load = () => import('../weights/w');\nimport 'typeorm';",
      'chain/a.spec.ts': "import { X } from '../devnet/x';",
      'miners/index.ts': "export * from './m';",
      'miners/m.ts': 'export const m = 1;',
      'weights/w.ts': "import { c } from '../common/c';",
      'common/c.ts': 'export const c = 1;',
    });
    const edges = moduleEdges(src).map((e) => `${e.from} -> ${e.to}`);
    expect(edges).toEqual(['app -> chain', 'chain -> miners', 'chain -> weights', 'weights -> common']);
    const report = checkDependencies(src, []);
    expect(report.violations.map((e) => `${e.from} -> ${e.to}`)).toEqual(['chain -> miners', 'chain -> weights']);
  });
});
