// End-to-end tests start processes and wait for a real broker's consumer-group rebalances.
jest.setTimeout(180_000);
