import { Injectable } from '@nestjs/common';
import { ChainService } from '../../chain/chain.service';
import { BAC_VALIDATOR_SS58_ADDRESS, type ValidatorCandidate } from './batch-slot';
import { SyntheticChainReader } from './synthetic-chain.reader';

/**
 * SyntheticChainReader over the chain module. Deviation: the order key uses the metagraph stake
 * (stake weight, else TotalHotkeyAlpha) for both selection and ordering, where the reference orders
 * by the neuron-lite alpha stake; both are normally equal on a subnet without root stake.
 */
@Injectable()
export class ChainSyntheticChainReader extends SyntheticChainReader {
  constructor(private readonly chain: ChainService) {
    super();
  }

  currentBlock(): Promise<number> {
    return this.chain.currentBlock();
  }

  async tempo(): Promise<number> {
    return (await this.chain.hyperparameters()).tempo;
  }

  blockHash(block: number): Promise<string> {
    if (block < 0) {
      return Promise.reject(new Error(`block ${block} is before genesis: the first cycle of a young chain has no seed block; the next cycle will be scheduled`));
    }
    return this.chain.blockHash(block);
  }

  async validatorCandidates(block: number): Promise<{ neurons: ValidatorCandidate[]; stakeThreshold: bigint; maxValidators: number; bac?: ValidatorCandidate }> {
    const metagraph = await this.chain.metagraph(block);
    const api = await this.chain.api();
    const at = await api.at(metagraph.blockHash);
    const q = at.query.subtensorModule;
    const netuid = metagraph.netuid;
    // StakeThreshold (what turbobt reads); runtimes without it (e.g. spec 218) call it WeightsMinStake.
    const thresholdQuery = q.stakeThreshold ?? q.weightsMinStake;
    const [threshold, maxValidators] = await Promise.all([thresholdQuery ? thresholdQuery() : Promise.resolve('0'), q.maxAllowedValidators(netuid)]);
    const neurons: ValidatorCandidate[] = metagraph.neurons.map((n) => ({ uid: n.uid, hotkey: n.hotkey, totalStake: n.stake, alphaStake: Number(n.stake) / 1e9 }));
    const bac = neurons.find((n) => n.hotkey === BAC_VALIDATOR_SS58_ADDRESS);
    return { neurons, stakeThreshold: BigInt(threshold.toString()), maxValidators: Number(maxValidators.toString()), bac };
  }
}
