/**
 * The u16 conversions and Python rounding live in the chain module (pure, shared with its
 * extrinsics); re-exported here under the engine's names so scoring code has one import.
 *   u16ForCommit: hash-commit path, round(w × (max / max(w))).
 *   u16ForSetWeights: set_weights path (turbobt), round(w / max(w) × 65535).
 */
export { pyRound, scaleForCommit as u16ForCommit, normalizeToU16 as u16ForSetWeights } from '../../chain/weights/u16';
