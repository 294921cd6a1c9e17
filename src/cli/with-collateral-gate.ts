import type { CliCommandEntry } from '../common/cli-command-entry';

/** The entry with the contract's CollateralGate bound beside its modules (loaded lazily, like the command). */
export function withCollateralGate(entry: CliCommandEntry): CliCommandEntry {
  return {
    ...entry,
    load: async () => {
      const def = await entry.load();
      const { CollateralGateBinding } = await import('../wiring/collateral-gate.binding');
      return { ...def, imports: [...(def.imports ?? []), CollateralGateBinding.forRoot({ collateral: 'contract' })] };
    },
  };
}
