// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice The project's own implementation of the collateral contract interface
/// (shared/test-peers.md §3), used to run the validator's client code against a real EVM in tests.
/// Same ABI, events and errors as the production contract; written independently from that interface.
contract ProjectCollateral {
    struct ReclaimRequest {
        address miner;
        uint256 amount;
        uint256 denyTimeout;
    }

    uint16 public immutable NETUID;
    address public immutable TRUSTEE;
    uint256 public immutable MIN_COLLATERAL_INCREASE;
    uint64 public immutable DECISION_TIMEOUT;

    mapping(address => uint256) public collaterals;
    mapping(uint256 => ReclaimRequest) public reclaims;

    /// Amount of each miner's collateral that open reclaim requests already claim.
    mapping(address => uint256) private pendingReclaims;
    uint256 private lastReclaimId;

    event Deposit(address indexed account, uint256 amount);
    event ReclaimProcessStarted(
        uint256 indexed reclaimRequestId,
        address indexed account,
        uint256 amount,
        uint64 expirationTime,
        string url,
        bytes16 urlContentMd5Checksum
    );
    event Reclaimed(uint256 indexed reclaimRequestId, address indexed account, uint256 amount);
    event Denied(uint256 indexed reclaimRequestId, string url, bytes16 urlContentMd5Checksum);
    event Slashed(address indexed account, uint256 amount, string url, bytes16 urlContentMd5Checksum);

    error AmountZero();
    error BeforeDenyTimeout();
    error InsufficientAmount();
    error InvalidDepositMethod();
    error NotTrustee();
    error PastDenyTimeout();
    error ReclaimAmountTooLarge();
    error ReclaimAmountTooSmall();
    error ReclaimNotFound();
    error TransferFailed();

    modifier onlyTrustee() {
        if (msg.sender != TRUSTEE) revert NotTrustee();
        _;
    }

    constructor(uint16 netuid, address trustee, uint256 minCollateralIncrease, uint64 decisionTimeout) {
        require(trustee != address(0), "trustee must not be the zero address");
        require(minCollateralIncrease > 0, "minimum collateral increase must be positive");
        require(decisionTimeout > 0, "decision timeout must be positive");
        NETUID = netuid;
        TRUSTEE = trustee;
        MIN_COLLATERAL_INCREASE = minCollateralIncrease;
        DECISION_TIMEOUT = decisionTimeout;
    }

    receive() external payable {
        revert InvalidDepositMethod();
    }

    fallback() external payable {
        revert InvalidDepositMethod();
    }

    function deposit() external payable {
        if (msg.value < MIN_COLLATERAL_INCREASE) revert InsufficientAmount();
        collaterals[msg.sender] += msg.value;
        emit Deposit(msg.sender, msg.value);
    }

    function reclaimCollateral(uint256 amount, string calldata url, bytes16 urlContentMd5Checksum) external {
        if (amount == 0) revert AmountZero();
        uint256 total = collaterals[msg.sender];
        uint256 pending = pendingReclaims[msg.sender];
        uint256 available = total > pending ? total - pending : 0;
        if (amount > available) revert ReclaimAmountTooLarge();
        if (amount < MIN_COLLATERAL_INCREASE && amount != available) revert ReclaimAmountTooSmall();

        uint64 expiration = uint64(block.timestamp) + DECISION_TIMEOUT;
        uint256 id = ++lastReclaimId;
        reclaims[id] = ReclaimRequest(msg.sender, amount, expiration);
        pendingReclaims[msg.sender] = pending + amount;
        emit ReclaimProcessStarted(id, msg.sender, amount, expiration, url, urlContentMd5Checksum);
    }

    function finalizeReclaim(uint256 reclaimRequestId) external {
        ReclaimRequest memory request = reclaims[reclaimRequestId];
        if (request.miner == address(0)) revert ReclaimNotFound();
        if (block.timestamp <= request.denyTimeout) revert BeforeDenyTimeout();
        delete reclaims[reclaimRequestId];
        pendingReclaims[request.miner] -= request.amount;

        // Slashed below the requested amount in the meantime: the request lapses.
        if (collaterals[request.miner] < request.amount) return;
        collaterals[request.miner] -= request.amount;
        (bool sent, ) = payable(request.miner).call{value: request.amount}("");
        if (!sent) revert TransferFailed();
        emit Reclaimed(reclaimRequestId, request.miner, request.amount);
    }

    function denyReclaimRequest(uint256 reclaimRequestId, string calldata url, bytes16 urlContentMd5Checksum) external onlyTrustee {
        ReclaimRequest memory request = reclaims[reclaimRequestId];
        if (request.miner == address(0)) revert ReclaimNotFound();
        if (block.timestamp > request.denyTimeout) revert PastDenyTimeout();
        delete reclaims[reclaimRequestId];
        pendingReclaims[request.miner] -= request.amount;
        emit Denied(reclaimRequestId, url, urlContentMd5Checksum);
    }

    function slashCollateral(address miner, uint256 amount, string calldata url, bytes16 urlContentMd5Checksum) external onlyTrustee {
        if (amount == 0) revert AmountZero();
        if (collaterals[miner] < amount) revert InsufficientAmount();
        collaterals[miner] -= amount;
        // Burned: the slashed value goes to the zero address.
        (bool sent, ) = payable(address(0)).call{value: amount}("");
        if (!sent) revert TransferFailed();
        emit Slashed(miner, amount, url, urlContentMd5Checksum);
    }
}
