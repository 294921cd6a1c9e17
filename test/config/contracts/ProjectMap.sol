// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// A string-to-string store with the read the validator uses on the subnet owner's map contract,
/// `value(string) returns (string)` (selector 0xc6e15443). Written for the tests of this project.
contract ProjectMap {
    address public immutable ADMIN;
    mapping(string => string) public value;

    error NotAdmin();

    constructor(address admin) {
        ADMIN = admin;
    }

    function store(string calldata key, string calldata newValue) external {
        if (msg.sender != ADMIN) revert NotAdmin();
        value[key] = newValue;
    }
}
