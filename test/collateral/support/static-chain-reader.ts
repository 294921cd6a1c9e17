import { CollateralChainReader, type ChainSnapshot } from '../../../src/collateral/chain/collateral-chain-reader';

/**
 * Substrate side for the EVM suites: what the chain would answer, set by the test. The EVM block
 * equals the Substrate block on Bittensor, so the snapshot reports the EVM node's current block.
 */
export class StaticChainReader extends CollateralChainReader {
  hotkeyByUid = new Map<number, string>();
  associations = new Map<number, string>();
  commitment: Uint8Array | null = null;
  associationReads: { netuid: number; blockHash: string }[] = [];
  private lastBlock = 0n;

  constructor(private readonly blockNumber: () => Promise<bigint>) {
    super();
  }

  async snapshot(): Promise<ChainSnapshot> {
    // Once the EVM node is stopped, the chain side still answers with the last block it saw.
    const blockNumber = await this.blockNumber().then(
      (b) => (this.lastBlock = b),
      () => this.lastBlock,
    );
    return { blockNumber, blockHash: `0x${blockNumber.toString(16).padStart(64, '0')}`, hotkeyByUid: new Map(this.hotkeyByUid) };
  }

  async associatedEvmAddresses(netuid: number, blockHash: string): Promise<Map<number, string>> {
    this.associationReads.push({ netuid, blockHash });
    return new Map(this.associations);
  }

  async commitmentBytes(): Promise<Uint8Array | null> {
    return this.commitment;
  }
}
