/**
 * The collateral contract interface the validator talks to (collateral.md §8), written out from
 * the spec's signatures. `as const` lets viem type every call and decoded value.
 */
export const COLLATERAL_ABI = [
  { type: 'function', name: 'collaterals', stateMutability: 'view', inputs: [{ name: '', type: 'address' }], outputs: [{ name: '', type: 'uint256' }] },
  {
    type: 'function',
    name: 'slashCollateral',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'miner', type: 'address' },
      { name: 'amount', type: 'uint256' },
      { name: 'url', type: 'string' },
      { name: 'urlContentMd5Checksum', type: 'bytes16' },
    ],
    outputs: [],
  },
  { type: 'function', name: 'TRUSTEE', stateMutability: 'view', inputs: [], outputs: [{ name: '', type: 'address' }] },
  { type: 'function', name: 'NETUID', stateMutability: 'view', inputs: [], outputs: [{ name: '', type: 'uint16' }] },
  { type: 'function', name: 'MIN_COLLATERAL_INCREASE', stateMutability: 'view', inputs: [], outputs: [{ name: '', type: 'uint256' }] },
  { type: 'function', name: 'DECISION_TIMEOUT', stateMutability: 'view', inputs: [], outputs: [{ name: '', type: 'uint64' }] },
  {
    type: 'function',
    name: 'reclaims',
    stateMutability: 'view',
    inputs: [{ name: '', type: 'uint256' }],
    outputs: [
      { name: 'miner', type: 'address' },
      { name: 'amount', type: 'uint256' },
      { name: 'denyTimeout', type: 'uint256' },
    ],
  },
  { type: 'function', name: 'deposit', stateMutability: 'payable', inputs: [], outputs: [] },
  {
    type: 'function',
    name: 'reclaimCollateral',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'amount', type: 'uint256' },
      { name: 'url', type: 'string' },
      { name: 'urlContentMd5Checksum', type: 'bytes16' },
    ],
    outputs: [],
  },
  { type: 'function', name: 'finalizeReclaim', stateMutability: 'nonpayable', inputs: [{ name: 'reclaimRequestId', type: 'uint256' }], outputs: [] },
  {
    type: 'function',
    name: 'denyReclaimRequest',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'reclaimRequestId', type: 'uint256' },
      { name: 'url', type: 'string' },
      { name: 'urlContentMd5Checksum', type: 'bytes16' },
    ],
    outputs: [],
  },
  {
    type: 'event',
    name: 'Deposit',
    anonymous: false,
    inputs: [
      { name: 'account', type: 'address', indexed: true },
      { name: 'amount', type: 'uint256', indexed: false },
    ],
  },
  {
    type: 'event',
    name: 'ReclaimProcessStarted',
    anonymous: false,
    inputs: [
      { name: 'reclaimRequestId', type: 'uint256', indexed: true },
      { name: 'account', type: 'address', indexed: true },
      { name: 'amount', type: 'uint256', indexed: false },
      { name: 'expirationTime', type: 'uint64', indexed: false },
      { name: 'url', type: 'string', indexed: false },
      { name: 'urlContentMd5Checksum', type: 'bytes16', indexed: false },
    ],
  },
  {
    type: 'event',
    name: 'Reclaimed',
    anonymous: false,
    inputs: [
      { name: 'reclaimRequestId', type: 'uint256', indexed: true },
      { name: 'account', type: 'address', indexed: true },
      { name: 'amount', type: 'uint256', indexed: false },
    ],
  },
  {
    type: 'event',
    name: 'Denied',
    anonymous: false,
    inputs: [
      { name: 'reclaimRequestId', type: 'uint256', indexed: true },
      { name: 'url', type: 'string', indexed: false },
      { name: 'urlContentMd5Checksum', type: 'bytes16', indexed: false },
    ],
  },
  {
    type: 'event',
    name: 'Slashed',
    anonymous: false,
    inputs: [
      { name: 'account', type: 'address', indexed: true },
      { name: 'amount', type: 'uint256', indexed: false },
      { name: 'url', type: 'string', indexed: false },
      { name: 'urlContentMd5Checksum', type: 'bytes16', indexed: false },
    ],
  },
  { type: 'error', name: 'AmountZero', inputs: [] },
  { type: 'error', name: 'BeforeDenyTimeout', inputs: [] },
  { type: 'error', name: 'InsufficientAmount', inputs: [] },
  { type: 'error', name: 'InvalidDepositMethod', inputs: [] },
  { type: 'error', name: 'NotTrustee', inputs: [] },
  { type: 'error', name: 'PastDenyTimeout', inputs: [] },
  { type: 'error', name: 'ReclaimAmountTooLarge', inputs: [] },
  { type: 'error', name: 'ReclaimAmountTooSmall', inputs: [] },
  { type: 'error', name: 'ReclaimNotFound', inputs: [] },
  { type: 'error', name: 'TransferFailed', inputs: [] },
] as const;

/** Gas limit of the reference's slash transaction (fixed, no estimation). */
export const SLASH_GAS_LIMIT = 200_000n;
